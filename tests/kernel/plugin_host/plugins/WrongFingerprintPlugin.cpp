// Built "with another compiler": its ABI fingerprint does not match the server's.
#include "ekaci/sdk/PluginEntry.h"

namespace {
std::int32_t neverCalled(void*, char*, std::uint32_t) { return 0; }
}  // namespace

extern "C" const ekaci_plugin_descriptor* wrong_fingerprint_entry() {
  static constexpr ekaci_plugin_descriptor descriptor = {
      EKACI_SDK_API_VERSION, "sdk=0.0.1;compiler=othercc-1;stdlib=libc++;std=201703;headers=0000000000000000",
      "test-wrong-fingerprint", "1.0.0", &neverCalled};
  return &descriptor;
}
BOOST_DLL_ALIAS(wrong_fingerprint_entry, ekaci_plugin_entry)
