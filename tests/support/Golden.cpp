#include "tests/support/Golden.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ekaci::testsupport {

std::string compareWithGolden(const std::string& relative, const std::string& actual) {
  const std::filesystem::path path = std::filesystem::path(EKACI_SOURCE_DIR) / relative;
  if (std::getenv("EKACI_UPDATE_GOLDEN") != nullptr) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << actual;
    return "";
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return relative + " does not exist; create it with EKACI_UPDATE_GOLDEN=1";
  std::ostringstream expected;
  expected << in.rdbuf();
  if (expected.str() == actual) return "";
  return relative + " differs from the output (" + std::to_string(actual.size()) + " bytes vs " +
         std::to_string(expected.str().size()) + "); inspect, then regenerate with EKACI_UPDATE_GOLDEN=1:\n" + actual;
}

}  // namespace ekaci::testsupport
