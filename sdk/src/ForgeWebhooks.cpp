#include "ekaci/sdk/ForgeWebhooks.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
ForgeWebhooks::~ForgeWebhooks() = default;

}  // namespace ekaci::sdk
