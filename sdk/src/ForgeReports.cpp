#include "ekaci/sdk/ForgeReports.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
ForgeReports::~ForgeReports() = default;

}  // namespace ekaci::sdk
