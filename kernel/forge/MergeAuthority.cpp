#include "kernel/forge/MergeAuthority.h"

namespace ekaci::forge {

std::string MergeAuthority::lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

sdk::Result<sdk::Permission> MergeAuthority::permission(const std::string& forgeId,
                                                        const sdk::RepositoryRef& repository,
                                                        const std::string& login) {
  const std::string key = forgeId + '\x1f' + repository.fullName() + '\x1f' + lower(login);
  const auto now = services_.clock.monotonic();
  {
    std::lock_guard lock(mutex_);
    if (auto found = permissions_.find(key); found != permissions_.end() && found->second.expires > now) {
      return found->second.permission;
    }
  }
  ForgeInstances::Instance* instance = services_.forges.find(forgeId);
  sdk::ForgeMerges* merges = instance != nullptr ? instance->forge->merges() : nullptr;
  if (merges == nullptr) return sdk::Error(sdk::ErrorCode::Unsupported, "forge '" + forgeId + "' cannot merge");
  auto asked = merges->permissionOf(repository, login);
  if (!asked) return asked;
  std::lock_guard lock(mutex_);
  if (permissions_.size() > 10000) {
    for (auto it = permissions_.begin(); it != permissions_.end();) {
      it = it->second.expires <= now ? permissions_.erase(it) : std::next(it);
    }
  }
  permissions_[key] = Cached{*asked, now + ttl_};
  return *asked;
}

sdk::Result<std::map<std::string, std::set<std::string>>> MergeAuthority::maintainersOf(
    const std::vector<ChangedPackage>& changed) {
  std::map<std::string, std::set<std::string>> out;
  std::vector<std::string> attrs;
  for (const auto& package : changed) {
    attrs.push_back(package.attr);
    auto& names = out[package.attr];
    for (const auto& name : package.maintainers) names.insert(lower(name));
  }
  if (attrs.empty()) return out;
  auto rows = services_.storage.maintainersOf(attrs);
  if (!rows) return std::move(rows).error();
  for (const auto& row : *rows) out[row.attr].insert(lower(row.login));
  return out;
}

sdk::Result<MergeAuthority::Decision> MergeAuthority::decide(const std::string& forgeId,
                                                             const sdk::RepositoryRef& repository,
                                                             const std::string& login,
                                                             const std::vector<ChangedPackage>& changed) {
  Decision decision;
  auto asked = permission(forgeId, repository, login);
  if (!asked) return std::move(asked).error();
  decision.permission = *asked;
  if (*asked >= sdk::Permission::Write) {
    decision.allowed = decision.byPermission = true;
    return decision;
  }
  auto maintainers = maintainersOf(changed);
  if (!maintainers) return std::move(maintainers).error();
  const std::string user = lower(login);
  for (const auto& package : changed) {
    if ((*maintainers)[package.attr].count(user) == 0) decision.notMaintained.push_back(package.attr);
  }
  decision.allowed = !changed.empty() && decision.notMaintained.empty();
  return decision;
}

}  // namespace ekaci::forge
