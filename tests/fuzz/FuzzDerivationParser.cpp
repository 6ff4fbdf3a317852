// .drv files come from the store, which pull requests fill: the parser must never crash, and
// what it accepts must survive a write/parse round trip unchanged.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kernel/nix/DerivationParser.h"
#include "kernel/nix/DerivationWriter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = ekaci::nix::DerivationParser::parse(text);
  if (!parsed) {
    if (parsed.error().message().empty()) std::abort();  // an error always says why
    return 0;
  }
  const std::string written = ekaci::nix::DerivationWriter::write(*parsed);
  auto again = ekaci::nix::DerivationParser::parse(written);
  if (!again || !(*again == *parsed)) std::abort();
  // Derived facts must be computable for anything that parses.
  (void)parsed->isFixedOutput();
  (void)parsed->requiredSystemFeatures();
  (void)parsed->preferLocalBuild();
  return 0;
}
