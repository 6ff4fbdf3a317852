#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "kernel/config/Environment.h"

namespace ekaci::cli {

// `ekaci review`: the whole review pipeline in this process, with no server and no forge.
// Progress goes to stderr (one updating line on a terminal), the Markdown summary to
// stdout, the full report to --json / --markdown files.
// Exit status: 0 the change evaluates cleanly, 1 it breaks evaluation, 2 usage or
// configuration error, 3 the review could not be carried out (git, Nix, database).
class ReviewCommand {
 public:
  ReviewCommand(config::Environment environment, std::ostream& out, std::ostream& err)
      : environment_(std::move(environment)), out_(out), err_(err) {}

  int run(const std::vector<std::string>& args, const std::string& configFile);

  static const char* usage();

 private:
  config::Environment environment_;
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace ekaci::cli
