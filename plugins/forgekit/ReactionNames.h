#pragma once

#include "ekaci/sdk/ForgeTypes.h"

namespace ekaci::forgekit {

// The forges' names of the SDK's reactions: GitHub's and Gitea's reaction contents (+1, -1,
// rocket, confused) and GitLab's award emoji (thumbsup, thumbsdown, rocket, confused).
class ReactionNames {
 public:
  static const char* github(sdk::Reaction reaction);
  static const char* gitlab(sdk::Reaction reaction);
};

}  // namespace ekaci::forgekit
