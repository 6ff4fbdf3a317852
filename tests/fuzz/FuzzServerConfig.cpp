// ekaci.toml is written by operators: any text gives either a configuration or a diagnostic
// with a configuration error code — never both, never a crash.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "kernel/config/ConfigLoader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ekaci::config::ConfigLoader loader(ekaci::config::Environment({{"HOME", "/fuzz"}}));
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto config = loader.loadText(text, "fuzz.toml");
  if (config) {
    if (config->dbPath.empty() || config->socketPath.empty()) std::abort();
    if (config->buildNoOutputTimeoutSeconds < 30 || config->buildNoOutputTimeoutSeconds > 86400) std::abort();
    return 0;
  }
  const int code = static_cast<int>(config.error().code());
  if (code < 2000 || code >= 3000 || config.error().message().empty()) std::abort();
  return 0;
}
