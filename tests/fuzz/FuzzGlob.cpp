// Globs come from repository change sets: matching any pattern against any path terminates
// quickly and agrees with itself.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kernel/config/Glob.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto split = input.find('\n');
  if (split == std::string_view::npos) return 0;
  const std::string_view pattern = input.substr(0, split), text = input.substr(split + 1);
  const bool once = ekaci::config::Glob::match(pattern, text);
  if (once != ekaci::config::Glob::match(pattern, text)) std::abort();
  if (pattern == text && pattern.find_first_of("*?") == std::string_view::npos && !once) std::abort();
  return 0;
}
