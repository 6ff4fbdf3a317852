#pragma once

#include <string>
#include <string_view>

namespace ekaci::services {

// SHA-256 of bytes, as lower-case hex (OpenSSL's EVP digest).
class Sha256 {
 public:
  static std::string hex(std::string_view bytes);
};

}  // namespace ekaci::services
