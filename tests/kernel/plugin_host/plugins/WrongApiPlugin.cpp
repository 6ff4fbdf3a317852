// Claims a plugin API version the server does not support.
#include "ekaci/sdk/PluginEntry.h"

namespace {
std::int32_t neverCalled(void*, char*, std::uint32_t) { return 0; }
}  // namespace

extern "C" const ekaci_plugin_descriptor* wrong_api_entry() {
  static constexpr ekaci_plugin_descriptor descriptor = {EKACI_SDK_API_VERSION + 41, EKACI_SDK_ABI_FINGERPRINT,
                                                         "test-wrong-api", "1.0.0", &neverCalled};
  return &descriptor;
}
BOOST_DLL_ALIAS(wrong_api_entry, ekaci_plugin_entry)
