#include "ekaci/sdk/CredentialSourceFactory.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
CredentialSourceFactory::~CredentialSourceFactory() = default;

}  // namespace ekaci::sdk
