// Build logs are written by code from pull requests; the lines a report quotes from them are
// always clean: valid UTF-8, no control characters or terminal escapes, bounded.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "kernel/nix/BuildLogStore.h"

namespace {

// Well-formed UTF-8 (the same rules the quoting applies: no overlong 2-byte forms).
bool validUtf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
    if (c >= 0xf0 && c <= 0xf4)
      length = 4;
    else if (c >= 0xe0 && c <= 0xef)
      length = 3;
    else if (c >= 0xc2 && c <= 0xdf)
      length = 2;
    else if (c >= 0x80)
      return false;
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t count = data[0] % 40;
  const std::size_t width = 1 + data[1] % 200;
  const std::string text(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::string out = ekaci::nix::BuildLogStore::lastLines(text, count, width);
  if (!validUtf8(out)) std::abort();
  std::size_t lines = 0, length = 0;
  for (char c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      if (length == 0 || length > width) std::abort();  // blank lines are skipped; lines are cut
      ++lines;
      length = 0;
      continue;
    }
    if (u < 0x20 || u == 0x7f) std::abort();
    ++length;
  }
  if (length != 0 || lines > count) std::abort();      // every line ends with a newline
  if (out.size() > text.size() + count) std::abort();  // never more than was there
  return 0;
}
