#include "StaticCredentialSource.h"

namespace ekaci::reference {

sdk::Result<sdk::Credentials> StaticCredentialSource::fetch() {
  if (values_.empty()) return sdk::Error(sdk::ErrorCode::SecretNotFound, "static credential source has no values");
  sdk::Credentials out;
  for (const auto& [name, value] : values_) out.set(name, sdk::Secret(value));
  return out;
}

std::string StaticCredentialSource::describe() const {
  std::string names;
  for (const auto& [name, value] : values_) names += (names.empty() ? "" : ", ") + name;
  return "static values (" + names + ")";
}

}  // namespace ekaci::reference
