#include "ekaci/sdk/testing/FakeSecretResolver.h"

namespace ekaci::sdk::testing {

void FakeSecretResolver::provide(std::string tag, std::vector<std::pair<std::string, std::string>> values) {
  std::lock_guard lock(mutex_);
  byTag_[std::move(tag)] = std::move(values);
}

Result<Credentials> FakeSecretResolver::resolve(const Value& block) {
  std::lock_guard lock(mutex_);
  ++resolveCount_;
  std::string tag = block.isString() ? block.asString() : (block.isTable() && block.size() == 1 ? block.keys().front() : "");
  auto it = byTag_.find(tag);
  if (it == byTag_.end()) return Error(ErrorCode::ConfigUnknownCredentialTag, "no credentials scripted for '" + tag + "'");
  Credentials out;
  for (const auto& [name, value] : it->second) out.set(name, Secret(value));
  return out;
}

std::size_t FakeSecretResolver::resolveCount() const {
  std::lock_guard lock(mutex_);
  return resolveCount_;
}

}  // namespace ekaci::sdk::testing
