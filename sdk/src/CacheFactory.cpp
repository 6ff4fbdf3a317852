#include "ekaci/sdk/CacheFactory.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
CacheFactory::~CacheFactory() = default;

}  // namespace ekaci::sdk
