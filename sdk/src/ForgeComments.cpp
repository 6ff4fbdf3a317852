#include "ekaci/sdk/ForgeComments.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
ForgeComments::~ForgeComments() = default;

}  // namespace ekaci::sdk
