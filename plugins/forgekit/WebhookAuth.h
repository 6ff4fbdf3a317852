#pragma once

#include <string>
#include <string_view>

#include "ekaci/sdk/ForgeTypes.h"

namespace ekaci::forgekit {

// The pieces of webhook authentication every forge uses: header lookup by any case, the
// HMAC-SHA256 of a body, and comparisons that take the same time whatever matches.
class WebhookAuth {
 public:
  // The first header of that name, compared without case; empty when absent.
  static std::string header(const sdk::WebhookRequest& request, std::string_view name);
  // Lower-case hex HMAC-SHA256 of `body` under `secret`.
  static std::string hmacSha256Hex(std::string_view secret, std::string_view body);
  // Equal contents, in time that depends only on the lengths (which are public).
  static bool sameText(std::string_view given, std::string_view expected);
};

}  // namespace ekaci::forgekit
