#include "ekaci/sdk/Forge.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
Forge::~Forge() = default;

}  // namespace ekaci::sdk
