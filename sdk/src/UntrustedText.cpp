#include "ekaci/sdk/UntrustedText.h"

#include <cstdint>

namespace ekaci::sdk {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Length of the well-formed UTF-8 sequence at text[i] and its code point; 0 when ill-formed.
std::size_t sequenceAt(std::string_view text, std::size_t i, std::uint32_t& codePoint) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char first = byte(i);
  if (first < 0x80) {
    codePoint = first;
    return 1;
  }
  std::size_t length = 0;
  std::uint32_t minimum = 0;
  if ((first & 0xE0) == 0xC0) {
    length = 2, codePoint = first & 0x1F, minimum = 0x80;
  } else if ((first & 0xF0) == 0xE0) {
    length = 3, codePoint = first & 0x0F, minimum = 0x800;
  } else if ((first & 0xF8) == 0xF0) {
    length = 4, codePoint = first & 0x07, minimum = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    codePoint = (codePoint << 6) | (byte(i + k) & 0x3F);
  }
  if (codePoint < minimum || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) return 0;
  return length;
}

bool invisible(std::uint32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F ||
         c == 0x061C || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF || c == 0x2028 || c == 0x2029;
}

template <typename OnCharacter>
std::string rewrite(std::string_view text, OnCharacter onCharacter) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t codePoint = 0;
    const std::size_t length = sequenceAt(text, i, codePoint);
    if (length == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    onCharacter(out, text.substr(i, length), codePoint);
    i += length;
  }
  return out;
}

}  // namespace

std::string UntrustedText::validUtf8(std::string_view text) {
  bool ascii = true;
  for (char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return std::string(text);
  return rewrite(text, [](std::string& out, std::string_view bytes, std::uint32_t) { out += bytes; });
}

std::string UntrustedText::visible(std::string_view text) {
  return rewrite(text, [](std::string& out, std::string_view bytes, std::uint32_t codePoint) {
    if (!invisible(codePoint)) {
      out += bytes;
      return;
    }
    static constexpr char kHex[] = "0123456789ABCDEF";
    out += "<U+";
    for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(codePoint >> shift) & 0xF]);
    out += ">";
  });
}

}  // namespace ekaci::sdk
