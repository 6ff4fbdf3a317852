#pragma once

#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::sdk {

// Access to repositories: the credentials git needs to fetch one (a GitHub installation
// token, a Gitea or GitLab token), scoped as narrowly as the forge allows.
//
// Threading: called on the kernel's fetch threads, concurrently; plugins cache tokens and
// refresh them before they expire.
class EKACI_SDK_API ForgeInstallations {
 public:
  virtual ~ForgeInstallations();

  // NotFound when no installation or token covers the repository (public repositories are
  // then fetched without credentials).
  virtual Result<CloneCredentials> cloneCredentials(const RepositoryRef& repository) = 0;
};

}  // namespace ekaci::sdk
