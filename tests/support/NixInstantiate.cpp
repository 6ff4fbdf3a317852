#include "tests/support/NixInstantiate.h"

#include <gtest/gtest.h>

#include <sstream>

#include "kernel/services/PosixProcessRunner.h"

namespace ekaci::testsupport {

std::vector<std::string> instantiate(const std::filesystem::path& file) {
  services::PosixProcessRunner runner;
  sdk::ProcessSpec spec;
  spec.argv = {"nix-instantiate", file.string()};
  spec.inheritEnvironment = true;
  auto result = runner.run(spec);
  EXPECT_TRUE(result && result->succeeded()) << (result ? result->stderrText : result.error().describe());
  std::vector<std::string> drvs;
  std::istringstream lines(result && result->succeeded() ? result->stdoutText : "");
  for (std::string line; std::getline(lines, line);) {
    if (line.ends_with(".drv")) drvs.push_back(line.substr(0, line.find('!')));
  }
  return drvs;
}

}  // namespace ekaci::testsupport
