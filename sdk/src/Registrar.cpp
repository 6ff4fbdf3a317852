#include "ekaci/sdk/Registrar.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
Registrar::~Registrar() = default;

}  // namespace ekaci::sdk
