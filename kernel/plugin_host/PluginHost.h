#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ekaci/sdk/Result.h"
#include "kernel/plugin_host/PluginRegistry.h"

namespace ekaci::plugin_host {

// Loads plugin shared objects with Boost.DLL and registers their factories.
//
// For each file: dlopen (RTLD_NOW | RTLD_LOCAL) -> find ekaci_plugin_entry -> read the plain
// descriptor -> check API version -> check ABI fingerprint -> call the register function
// inside a guard -> reject duplicate (kind, type). Only after both checks pass does any C++
// object cross the boundary. Libraries are never unloaded (they are pinned with
// RTLD_NODELETE), so no vtable or destructor can outlive its code.
// Threading: main thread only, before any worker starts.
class PluginHost {
 public:
  struct LoadedPlugin {
    std::string name;
    std::string version;
    std::filesystem::path file;
  };
  struct Skipped {
    std::filesystem::path file;
    sdk::Error error;
  };

  PluginHost();
  ~PluginHost();
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Loads one shared object.
  sdk::Result<void> loadFile(const std::filesystem::path& file);
  // Loads a file, or every *.so directly inside a directory (sorted by name, not recursive).
  // With optional, failures are recorded in skipped() instead of being returned.
  sdk::Result<void> loadPath(const std::filesystem::path& path, bool optional);

  PluginRegistry& registry() noexcept { return registry_; }
  const PluginRegistry& registry() const noexcept { return registry_; }
  const std::vector<LoadedPlugin>& loaded() const noexcept { return loaded_; }
  const std::vector<Skipped>& skipped() const noexcept { return skipped_; }

  // The plugin directory of an installation whose binary lives at `executable`:
  // <prefix>/bin/eka-ci-server -> <prefix>/lib/ekaci/plugins.
  static std::filesystem::path bundledPluginDirectory(const std::filesystem::path& executable);

 private:
  struct Library;
  std::vector<std::unique_ptr<Library>> libraries_;  // declared before registry_: destroyed after it
  PluginRegistry registry_;
  std::vector<LoadedPlugin> loaded_;
  std::vector<Skipped> skipped_;
};

}  // namespace ekaci::plugin_host
