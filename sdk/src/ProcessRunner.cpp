#include "ekaci/sdk/ProcessRunner.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
ProcessRunner::~ProcessRunner() = default;

}  // namespace ekaci::sdk
