// ekaci: the command-line client of eka-ci-server.
#include <signal.h>

#include <iostream>

#include "cli/CliApp.h"
#include "kernel/server/StateDirectory.h"

int main(int argc, char** argv) {
  ekaci::server::StateDirectory::privateFiles();
  (void)::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  ekaci::cli::CliApp app(ekaci::config::Environment::fromProcess(), std::cout, std::cerr);
  return app.run(args);
}
