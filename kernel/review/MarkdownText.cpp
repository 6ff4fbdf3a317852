#include "kernel/review/MarkdownText.h"

#include "ekaci/sdk/UntrustedText.h"

namespace ekaci::review {

std::string MarkdownText::code(const std::string& text, std::size_t maxLength) {
  std::string clean;
  for (char c : sdk::UntrustedText::visible(text)) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == '`') c = '\'';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    clean.push_back(c);
  }
  if (clean.size() > maxLength) {
    std::size_t cut = maxLength;
    while (cut > 0 && (static_cast<unsigned char>(clean[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    clean = clean.substr(0, cut) + "…";
  }
  std::string out = "`";
  for (char c : clean) {
    if (c == '|')
      out += "\\|";
    else
      out.push_back(c);
  }
  return out + "`";
}

std::string MarkdownText::html(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : sdk::UntrustedText::visible(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace ekaci::review
