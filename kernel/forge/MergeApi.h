#pragma once

#include <string>

#include "ekaci/sdk/Clock.h"
#include "ekaci/sdk/Result.h"
#include "kernel/forge/AutoMerger.h"
#include "kernel/forge/MergeAuthority.h"
#include "kernel/storage/Storage.h"

namespace ekaci::forge {

// The merge side of the HTTP API and the socket, as JSON documents: a pull request's merge
// eligibility (the manual's fields), enabling and disabling auto-merge, merging now, and the
// package maintainers table. Writes take the acting user: an admin may do anything; anyone
// else needs MergeAuthority's consent for the pull request (write permission, or maintainer
// of every changed package). Errors: NotFound, InvalidArgument, PermissionDenied.
class MergeApi {
 public:
  struct Actor {
    std::string login;
    bool admin = false;
  };

  MergeApi(storage::Storage& storage, AutoMerger& merger, MergeAuthority& authority, const sdk::Clock& clock)
      : storage_(storage), merger_(merger), authority_(authority), clock_(clock) {}

  sdk::Result<std::string> eligibility(const std::string& owner, const std::string& name, const std::string& number);
  // `body`: {"merge_method": "merge"|"squash"|"rebase"} or empty.
  sdk::Result<std::string> enableAutoMerge(const std::string& owner, const std::string& name, const std::string& number,
                                           const std::string& body, const Actor& actor);
  sdk::Result<std::string> disableAutoMerge(const std::string& owner, const std::string& name,
                                            const std::string& number, const Actor& actor);
  sdk::Result<std::string> merge(const std::string& owner, const std::string& name, const std::string& number,
                                 const std::string& body, const Actor& actor);

  sdk::Result<std::string> maintainers(const std::string& attr);
  sdk::Result<std::string> setMaintainer(const std::string& attr, const std::string& login, bool present);

 private:
  struct Target {
    storage::PullRequestListing listing;
    std::int64_t number = 0;
  };
  sdk::Result<Target> find(const std::string& owner, const std::string& name, const std::string& number);
  sdk::Result<void> authorise(const Target& target, const Actor& actor);
  sdk::Result<storage::MergeRequestRecord> setAutoMerge(const Target& target, bool on,
                                                        std::optional<sdk::MergeMethod> method);
  static sdk::Result<std::optional<sdk::MergeMethod>> methodIn(const std::string& body);
  std::int64_t nowSeconds() const;

  storage::Storage& storage_;
  AutoMerger& merger_;
  MergeAuthority& authority_;
  const sdk::Clock& clock_;
};

}  // namespace ekaci::forge
