#include "ekaci/sdk/ForgeInstallations.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
ForgeInstallations::~ForgeInstallations() = default;

}  // namespace ekaci::sdk
