#include "ekaci/sdk/ForgeFactory.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
ForgeFactory::~ForgeFactory() = default;

}  // namespace ekaci::sdk
