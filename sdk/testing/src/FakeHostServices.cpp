#include "ekaci/sdk/testing/FakeHostServices.h"

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <system_error>

namespace ekaci::sdk::testing {

FakeHostServices::FakeHostServices() {
  std::string pattern = (std::filesystem::temp_directory_path() / "ekaci-fakehost-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
  stateDirectory_ = pattern;
}

FakeHostServices::~FakeHostServices() {
  std::error_code ignored;
  std::filesystem::remove_all(stateDirectory_, ignored);
}

}  // namespace ekaci::sdk::testing
