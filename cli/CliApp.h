#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "kernel/config/Environment.h"

namespace ekaci::cli {

// The `ekaci` command line: parses arguments, talks to the server, prints for people
// (or JSON with --json). run() returns the process exit status:
// 0 success, 1 the server reported an error, 2 usage error, 3 the server is unreachable.
class CliApp {
 public:
  CliApp(config::Environment environment, std::ostream& out, std::ostream& err)
      : environment_(std::move(environment)), out_(out), err_(err) {}

  int run(const std::vector<std::string>& args);

 private:
  int status(bool json);
  int plugins(bool json);
  int ping();
  int describePlugin(const std::string& type);
  int call(const std::string& command, std::string& result);
  int request(const std::string& requestJson, std::string& result);

  config::Environment environment_;
  std::ostream& out_;
  std::ostream& err_;
  std::string socket_;
  std::string configFile_;
};

}  // namespace ekaci::cli
