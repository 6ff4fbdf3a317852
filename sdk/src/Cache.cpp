#include "ekaci/sdk/Cache.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
Cache::~Cache() = default;

}  // namespace ekaci::sdk
