#include "ekaci/sdk/PluginFactory.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
PluginFactory::~PluginFactory() = default;

}  // namespace ekaci::sdk

namespace ekaci::sdk {

const char* pluginKindName(PluginKind kind) noexcept {
  switch (kind) {
    case PluginKind::Forge:
      return "forge";
    case PluginKind::Cache:
      return "cache";
    case PluginKind::CredentialSource:
      return "credential-source";
    case PluginKind::Evaluator:
      return "evaluator";
  }
  return "unknown";
}

}  // namespace ekaci::sdk
