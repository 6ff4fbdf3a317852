#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "ekaci/sdk/SecretResolver.h"

namespace ekaci::sdk::testing {

// Resolves credential blocks from a table keyed by the block's tag ("env", "file", ...).
class FakeSecretResolver : public SecretResolver {
 public:
  void provide(std::string tag, std::vector<std::pair<std::string, std::string>> values);
  Result<Credentials> resolve(const Value& credentialBlock) override;
  std::size_t resolveCount() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> byTag_;
  std::size_t resolveCount_ = 0;
};

}  // namespace ekaci::sdk::testing
