#include "ekaci/sdk/HostServices.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
HostServices::~HostServices() = default;

}  // namespace ekaci::sdk
