#pragma once

#include "ekaci/sdk/Credentials.h"
#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Value.h"

namespace ekaci::sdk {

// Resolves a tagged credential block from the server configuration, for example
// `{ env = { vars = ["AWS_ACCESS_KEY_ID"] } }` or `{ file = { path = "/etc/x" } }`, by asking
// the CredentialSource plugin registered for the tag.
//
// Threading: any thread. Ownership: the block is borrowed for the call; the returned
// credentials are owned by the caller, who should drop them as soon as they are used.
// Errors: ConfigUnknownCredentialTag, ConfigPluginUnavailable, or the source's own error.
class EKACI_SDK_API SecretResolver {
 public:
  virtual ~SecretResolver();
  virtual Result<Credentials> resolve(const Value& credentialBlock) = 0;
};

}  // namespace ekaci::sdk
