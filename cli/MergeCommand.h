#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace ekaci::cli {

// Merging on the running server (over its socket, as its administrator):
// `ekaci merge-eligibility`, `ekaci auto-merge enable|disable`, `ekaci merge`, `ekaci
// maintainers`, `ekaci maintainer add|remove`, and `ekaci token` for the HTTP API.
class MergeCommand {
 public:
  using Transport = std::function<int(const std::string& request, std::string& result)>;

  MergeCommand(std::ostream& out, std::ostream& err, Transport transport)
      : out_(out), err_(err), transport_(std::move(transport)) {}

  static bool handles(const std::string& command);
  static const char* usage();
  int run(const std::string& command, const std::vector<std::string>& args);

 private:
  int usageError(const std::string& command, const std::string& why);

  std::ostream& out_;
  std::ostream& err_;
  Transport transport_;
};

}  // namespace ekaci::cli
