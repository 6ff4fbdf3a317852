#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace ekaci::cli {

// `ekaci build`, `builds`, `jobset`, `logs` and `derivation`: the server's builds over the
// socket. The transport is given as a function (request JSON -> result JSON, exit status),
// the same one the other commands use.
class BuildsCommand {
 public:
  using Transport = std::function<int(const std::string& request, std::string& result)>;

  BuildsCommand(std::ostream& out, std::ostream& err, Transport transport)
      : out_(out), err_(err), transport_(std::move(transport)) {}

  static bool handles(const std::string& command);
  static const char* usage();
  int run(const std::string& command, const std::vector<std::string>& args);

 private:
  int waitForJobset(long long id, bool json);

  std::ostream& out_;
  std::ostream& err_;
  Transport transport_;
};

}  // namespace ekaci::cli
