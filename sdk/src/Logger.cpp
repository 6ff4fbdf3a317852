#include "ekaci/sdk/Logger.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
Logger::~Logger() = default;

}  // namespace ekaci::sdk
