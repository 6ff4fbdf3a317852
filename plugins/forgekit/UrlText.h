#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ekaci::forgekit {

// Text that goes into a forge's URLs and size-limited fields.
class UrlText {
 public:
  // One path segment, percent-encoded: a name from a webhook never changes a path's shape.
  static std::string segment(std::string_view text);
  // At most `maxBytes` bytes of `text`, cut at a UTF-8 character boundary; when cut, ends
  // with `marker` (which counts towards the limit).
  static std::string cut(const std::string& text, std::size_t maxBytes, std::string_view marker = "…");
};

}  // namespace ekaci::forgekit
