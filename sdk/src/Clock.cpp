#include "ekaci/sdk/Clock.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
Clock::~Clock() = default;

}  // namespace ekaci::sdk
