#pragma once

#include <cstddef>
#include <string>

namespace ekaci::review {

// Escaping for text a pull request controls (attribute names, versions, messages, logs) in
// a Markdown report: bidi and zero-width controls made visible, no Markdown or HTML that the
// forge would interpret.
class MarkdownText {
 public:
  // `text` as an inline code span that is safe inside a table cell, cut to maxLength bytes.
  static std::string code(const std::string& text, std::size_t maxLength = 120);
  // `text` with HTML's special characters escaped (for <pre>, <code> and prose).
  static std::string html(const std::string& text);
};

}  // namespace ekaci::review
