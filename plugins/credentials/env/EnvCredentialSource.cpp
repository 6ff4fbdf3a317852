#include "EnvCredentialSource.h"

#include <cstdlib>

namespace ekaci::plugins::credentials {

sdk::Result<sdk::Credentials> EnvCredentialSource::fetch() {
  sdk::Credentials out;
  std::string missing;
  for (const auto& name : variables_) {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr || *value == '\0') {
      missing += (missing.empty() ? "" : ", ") + name;
      continue;
    }
    out.set(name, sdk::Secret(value));
  }
  if (!missing.empty()) {
    return sdk::Error(sdk::ErrorCode::SecretNotFound, "environment variable(s) not set or empty: " + missing);
  }
  return out;
}

std::string EnvCredentialSource::describe() const {
  std::string names;
  for (const auto& name : variables_) names += (names.empty() ? "" : ", ") + name;
  return "environment variables " + names;
}

}  // namespace ekaci::plugins::credentials
