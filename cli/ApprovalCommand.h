#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace ekaci::cli {

// `ekaci approve USER`, `ekaci unapprove USER` and `ekaci approved`: the server's list of
// authors whose pull requests are built when require_approval holds the others.
class ApprovalCommand {
 public:
  using Transport = std::function<int(const std::string& request, std::string& result)>;

  ApprovalCommand(std::ostream& out, std::ostream& err, Transport transport)
      : out_(out), err_(err), transport_(std::move(transport)) {}

  static bool handles(const std::string& command);
  static const char* usage();
  int run(const std::string& command, const std::vector<std::string>& args);

 private:
  std::ostream& out_;
  std::ostream& err_;
  Transport transport_;
};

}  // namespace ekaci::cli
