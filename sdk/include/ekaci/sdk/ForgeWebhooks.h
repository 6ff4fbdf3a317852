#pragma once

#include <vector>

#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::sdk {

// Receiving deliveries: every forge has it.
//
// Threading: called on the server's HTTP threads, concurrently; implementations guard their
// own shared state. Ownership: the request is borrowed for the call.
class EKACI_SDK_API ForgeWebhooks {
 public:
  virtual ~ForgeWebhooks();

  // Authenticates a delivery before anything in it is parsed (HMAC signature or token), in
  // time independent of the secret. WebhookSignatureMissing / WebhookSignatureInvalid.
  virtual Result<void> verify(const WebhookRequest& request) const = 0;

  // Turns a verified delivery into events. An event or action the kernel does not act on is
  // one event of kind Other (never an error); a body that is not what the forge sends is
  // WebhookMalformed.
  virtual Result<std::vector<ForgeEvent>> parse(const WebhookRequest& request) const = 0;
};

}  // namespace ekaci::sdk
