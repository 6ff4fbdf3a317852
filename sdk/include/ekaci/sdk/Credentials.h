#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/Secret.h"

namespace ekaci::sdk {

// A named set of secrets, as produced by a CredentialSource: for example
// AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, or GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY.
// Move-only, like the secrets it holds.
class EKACI_SDK_API Credentials {
 public:
  Credentials() = default;
  Credentials(Credentials&&) noexcept = default;
  Credentials& operator=(Credentials&&) noexcept = default;
  Credentials(const Credentials&) = delete;
  Credentials& operator=(const Credentials&) = delete;
  ~Credentials();

  // Sets (or replaces) one entry.
  void set(std::string name, Secret value);
  // The entry, or nullptr. The pointer is valid until this object is changed or destroyed.
  const Secret* find(std::string_view name) const noexcept;
  bool contains(std::string_view name) const noexcept { return find(name) != nullptr; }
  // Entry names in insertion order; names are not secret.
  std::vector<std::string> names() const;
  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }

 private:
  struct Entry {
    std::string name;
    Secret value;
  };
  std::vector<Entry> entries_;
};

}  // namespace ekaci::sdk
