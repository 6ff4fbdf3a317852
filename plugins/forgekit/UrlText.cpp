#include "forgekit/UrlText.h"

#include <cctype>

namespace ekaci::forgekit {

std::string UrlText::segment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

std::string UrlText::cut(const std::string& text, std::size_t maxBytes, std::string_view marker) {
  if (text.size() <= maxBytes) return text;
  if (marker.size() >= maxBytes) marker = {};
  std::size_t end = maxBytes - marker.size();
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + std::string(marker);
}

}  // namespace ekaci::forgekit
