// Secrets files: any content parses into named secrets or fails with a short message that
// does not quote the content.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "plugins/credentials/credkit/SecretsFileParser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto parsed = ekaci::plugins::credentials::SecretsFileParser::parse(text);
  if (parsed) {
    for (const auto& name : parsed->names()) {
      if (name.empty()) std::abort();
    }
    return 0;
  }
  const std::string& message = parsed.error().message();
  // Errors say where (a line number), never what: they stay short whatever the input.
  if (message.empty() || message.size() > 200) std::abort();
  return 0;
}
