#pragma once

#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/ForgeComments.h"
#include "ekaci/sdk/ForgeInstallations.h"
#include "ekaci/sdk/ForgeMerges.h"
#include "ekaci/sdk/ForgeReports.h"
#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/ForgeWebhooks.h"
#include "ekaci/sdk/PluginInstance.h"

namespace ekaci::sdk {

// A code forge: GitHub, Gitea or GitLab, created by the ForgeFactory its plugin registered.
// What a forge can do is split into capability interfaces; the kernel asks the instance for
// each one and treats a null answer as "this forge cannot", so a forge implements only what
// it has (a read-only mirror forge: webhooks and installations).
//
// Ownership: the kernel owns the Forge; the capability objects belong to it and live as long
// as it does (usually the Forge itself implements them and returns `this`).
// Threading: see each capability; these accessors are called from any thread.
class EKACI_SDK_API Forge : public PluginInstance {
 public:
  ~Forge() override;

  virtual ForgeCapabilities capabilities() const = 0;

  virtual ForgeWebhooks& webhooks() = 0;
  virtual ForgeReports* reports() { return nullptr; }
  virtual ForgeComments* comments() { return nullptr; }
  virtual ForgeMerges* merges() { return nullptr; }
  virtual ForgeInstallations* installations() { return nullptr; }
};

}  // namespace ekaci::sdk
