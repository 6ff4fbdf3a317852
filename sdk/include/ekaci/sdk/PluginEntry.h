#pragma once

// The one C entry point of a plugin. Include this header in exactly one source file of
// the plugin and write
//
//   EKACI_PLUGIN("my-plugin", "1.2.0", myRegisterFunction)
//
// where myRegisterFunction is `ekaci::sdk::Result<void> f(ekaci::sdk::Registrar&)`.
// The kernel reads the descriptor first, checks api_version and abi_fingerprint, and only
// then calls register_plugin. Nothing runs when the library is loaded: there are no static
// constructors and no static registration.

#include <boost/dll/alias.hpp>
#include <cstdint>
#include <cstring>
#include <exception>

#include "ekaci/sdk/Abi.h"
#include "ekaci/sdk/Registrar.h"
#include "ekaci/sdk/Result.h"

extern "C" {

// Plain data: readable by a kernel of any version, which is how mismatches are reported.
struct ekaci_plugin_descriptor {
  std::uint32_t api_version;
  const char* abi_fingerprint;
  const char* name;
  const char* version;
  // Returns 0 on success, otherwise an ErrorCode number with a message written (and
  // NUL-terminated) into error_message.
  std::int32_t (*register_plugin)(void* registrar, char* error_message, std::uint32_t error_capacity);
};

typedef const struct ekaci_plugin_descriptor* (*ekaci_plugin_entry_fn)(void);
}

#define EKACI_PLUGIN_ENTRY_SYMBOL "ekaci_plugin_entry"

namespace ekaci::sdk::detail {
inline void copyMessage(char* out, std::uint32_t capacity, const char* message) noexcept {
  if (out == nullptr || capacity == 0) return;
  std::strncpy(out, message, capacity - 1);
  out[capacity - 1] = '\0';
}

template <Result<void> (*Register)(Registrar&)>
std::int32_t registerTrampoline(void* registrar, char* error, std::uint32_t capacity) noexcept {
  try {
    Result<void> result = Register(*static_cast<Registrar*>(registrar));
    if (result.ok()) return 0;
    copyMessage(error, capacity, result.error().message().c_str());
    return static_cast<std::int32_t>(result.error().code());
  } catch (const std::exception& e) {
    copyMessage(error, capacity, e.what());
  } catch (...) {
    copyMessage(error, capacity, "register function threw a non-standard exception");
  }
  return static_cast<std::int32_t>(ErrorCode::PluginRegisterFailed);
}
}  // namespace ekaci::sdk::detail

#define EKACI_PLUGIN(NAME, VERSION, REGISTER_FUNCTION)                                             \
  extern "C" const ekaci_plugin_descriptor* ekaci_plugin_entry_impl() {                            \
    static constexpr ekaci_plugin_descriptor descriptor = {                                        \
        EKACI_SDK_API_VERSION, EKACI_SDK_ABI_FINGERPRINT, NAME, VERSION,                           \
        &::ekaci::sdk::detail::registerTrampoline<&(REGISTER_FUNCTION)>};                            \
    return &descriptor;                                                                            \
  }                                                                                                \
  BOOST_DLL_ALIAS(ekaci_plugin_entry_impl, ekaci_plugin_entry)
