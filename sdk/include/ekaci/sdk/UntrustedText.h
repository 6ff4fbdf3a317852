#pragma once

#include <string>
#include <string_view>

#include "ekaci/sdk/Export.h"

namespace ekaci::sdk {

// Text a pull request's author controls (Nix messages, attribute names, logs, commit subjects)
// made safe to put into a JSON body or a forge comment.
class EKACI_SDK_API UntrustedText {
 public:
  // `text` as valid UTF-8: every byte that does not start a well-formed sequence (overlong
  // forms, surrogates and code points past U+10FFFF included) becomes U+FFFD.
  static std::string validUtf8(std::string_view text);
  // validUtf8, then every character that changes how the text around it is shown without being
  // seen itself — bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
  // U+061C), zero-width characters (U+200B–U+200D, U+2060, U+FEFF) and line/paragraph
  // separators (U+2028, U+2029) — written visibly as "<U+202E>".
  static std::string visible(std::string_view text);
};

}  // namespace ekaci::sdk
