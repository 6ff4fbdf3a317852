#include "CachixTokenSource.h"

#include <cstdlib>

namespace ekaci::plugins::credentials {

sdk::Result<sdk::Credentials> CachixTokenSource::fetch() {
  const char* value = std::getenv(variable_.c_str());
  if (value == nullptr || *value == '\0') {
    return sdk::Error(sdk::ErrorCode::SecretNotFound,
                      "environment variable " + variable_ + " (a Cachix token) is not set");
  }
  sdk::Credentials out;
  out.set("CACHIX_AUTH_TOKEN", sdk::Secret(value));
  return out;
}

}  // namespace ekaci::plugins::credentials
