#include "ekaci/sdk/ForgeMerges.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
ForgeMerges::~ForgeMerges() = default;

}  // namespace ekaci::sdk
