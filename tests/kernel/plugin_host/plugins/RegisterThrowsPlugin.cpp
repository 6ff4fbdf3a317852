// Its register function throws: the exception must not cross into the server.
#include <stdexcept>

#include "ekaci/sdk/PluginEntry.h"

namespace {
ekaci::sdk::Result<void> registerThrows(ekaci::sdk::Registrar&) { throw std::runtime_error("boom in register"); }
}  // namespace

EKACI_PLUGIN("test-register-throws", "1.0.0", registerThrows)
