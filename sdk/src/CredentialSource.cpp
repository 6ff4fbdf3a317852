#include "ekaci/sdk/CredentialSource.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
CredentialSource::~CredentialSource() = default;

}  // namespace ekaci::sdk
