#pragma once

#include <string>

#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/Setting.h"

namespace ekaci::sdk {

enum class PluginKind { Forge, Cache, CredentialSource, Evaluator };

EKACI_SDK_API const char* pluginKindName(PluginKind kind) noexcept;

enum class Stability { Stable, Experimental };

// What every factory says about itself. The kernel validates each configuration block
// against settings() (types, ranges, unknown keys, defaults) before create() sees it.
//
// Threading: all methods are called on the kernel's main thread during start-up.
// Lifetime: factories live until the server exits; plugins are never unloaded.
class EKACI_SDK_API PluginFactory {
 public:
  virtual ~PluginFactory();
  virtual PluginKind kind() const = 0;
  // The configuration type name, e.g. "github", "nix-copy", "env". Third-party plugins
  // should use a dotted prefix ("acme.vault") to stay clear of in-tree names.
  virtual std::string type() const = 0;
  virtual std::string description() const = 0;
  virtual SettingsSchema settings() const = 0;
  virtual Stability stability() const { return Stability::Stable; }
};

}  // namespace ekaci::sdk
