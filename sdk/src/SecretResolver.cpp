#include "ekaci/sdk/SecretResolver.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
SecretResolver::~SecretResolver() = default;

}  // namespace ekaci::sdk
