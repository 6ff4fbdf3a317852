#pragma once

#include <string>

#include "ekaci/sdk/Result.h"
#include "kernel/publish/PublishTarget.h"

namespace ekaci::publish {

// A PublishTarget as the JSON text the database keeps for an open jobset (publish_targets),
// and back. Hook environments are the repository's own values (never secrets).
class PublishTargetJson {
 public:
  static std::string encode(const PublishTarget& target);
  static sdk::Result<PublishTarget> decode(const std::string& text);
};

}  // namespace ekaci::publish
