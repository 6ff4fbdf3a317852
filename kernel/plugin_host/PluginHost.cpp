#include "kernel/plugin_host/PluginHost.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <cstring>

#include "ekaci/sdk/PluginEntry.h"

namespace ekaci::plugin_host {

struct PluginHost::Library {
  boost::dll::shared_library library;
};

PluginHost::PluginHost() = default;

PluginHost::~PluginHost() {
  // Factories first (their destructors are plugin code), libraries after (pinned anyway).
  registry_ = PluginRegistry();
}

std::filesystem::path PluginHost::bundledPluginDirectory(const std::filesystem::path& executable) {
  return executable.parent_path().parent_path() / "lib" / "ekaci" / "plugins";
}

namespace {
sdk::Error fail(sdk::ErrorCode code, const std::filesystem::path& file, const std::string& message) {
  return sdk::Error(code, "plugin " + file.string() + ": " + message);
}

// A plugin runs with the server's rights: refuse files anyone else may replace.
sdk::Result<void> checkNotWritableByOthers(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return fail(sdk::ErrorCode::PluginLoadFailed, path, std::string("cannot stat: ") + std::strerror(errno));
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return fail(sdk::ErrorCode::PluginInsecurePath, path, "is writable by group or others; chmod go-w it");
  }
  return sdk::success();
}
}  // namespace

sdk::Result<void> PluginHost::loadFile(const std::filesystem::path& file) {
  if (auto secure = checkNotWritableByOthers(file); !secure) return secure;
  auto library = std::make_unique<Library>();
  boost::dll::fs::error_code ec;
  library->library.load(boost::dll::fs::path(file),
                        boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) {
    const char* detail = dlerror();
    return fail(sdk::ErrorCode::PluginLoadFailed, file,
                "cannot load: " + (detail != nullptr ? std::string(detail) : ec.message()));
  }
  // Pin the library: even if a handle is closed later, its code stays mapped.
  if (void* pinned = dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE); pinned != nullptr) dlclose(pinned);

  if (!library->library.has(EKACI_PLUGIN_ENTRY_SYMBOL)) {
    return fail(sdk::ErrorCode::PluginMissingEntry, file,
                "no " EKACI_PLUGIN_ENTRY_SYMBOL " symbol: not an eka-ci plugin (was it built with EKACI_PLUGIN?)");
  }
  auto& entry = library->library.get_alias<const ekaci_plugin_descriptor*()>(EKACI_PLUGIN_ENTRY_SYMBOL);
  const ekaci_plugin_descriptor* descriptor = entry();
  if (descriptor == nullptr) return fail(sdk::ErrorCode::PluginBadDescriptor, file, "entry point returned no descriptor");
  if (descriptor->api_version != EKACI_SDK_API_VERSION) {
    return fail(sdk::ErrorCode::PluginApiVersionMismatch, file,
                "built for plugin API version " + std::to_string(descriptor->api_version) +
                    ", this server supports version " + std::to_string(EKACI_SDK_API_VERSION) +
                    "; rebuild the plugin against this server's SDK");
  }
  const std::string fingerprint = descriptor->abi_fingerprint != nullptr ? descriptor->abi_fingerprint : "(none)";
  if (fingerprint != EKACI_SDK_ABI_FINGERPRINT) {
    return fail(sdk::ErrorCode::PluginAbiMismatch, file,
                "ABI fingerprint '" + fingerprint + "' does not match this server's '" EKACI_SDK_ABI_FINGERPRINT
                "'; rebuild the plugin against this server's SDK with the same compiler");
  }
  if (descriptor->name == nullptr || descriptor->version == nullptr || descriptor->register_plugin == nullptr ||
      descriptor->name[0] == '\0') {
    return fail(sdk::ErrorCode::PluginBadDescriptor, file, "descriptor lacks a name, version or register function");
  }
  const std::string name = descriptor->name;
  for (const auto& plugin : loaded_) {
    if (plugin.name == name) {
      return fail(sdk::ErrorCode::PluginDuplicateType, file,
                  "a plugin named '" + name + "' is already loaded from " + plugin.file.string());
    }
  }

  registry_.beginPlugin(name, file.string());
  char message[1024] = {0};
  const std::int32_t code = descriptor->register_plugin(static_cast<sdk::Registrar*>(&registry_), message, sizeof message);
  if (code != 0) {
    registry_.rollbackPlugin();
    auto errorCode = static_cast<sdk::ErrorCode>(code);
    if (errorCode != sdk::ErrorCode::PluginDuplicateType) errorCode = sdk::ErrorCode::PluginRegisterFailed;
    return fail(errorCode, file,
                "plugin " + name + " " + descriptor->version + " failed to register: " +
                    (message[0] != '\0' ? std::string(message) : "no message"));
  }
  loaded_.push_back(LoadedPlugin{name, descriptor->version, file});
  libraries_.push_back(std::move(library));
  return sdk::success();
}

sdk::Result<void> PluginHost::loadPath(const std::filesystem::path& path, bool optional) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    if (auto secure = checkNotWritableByOthers(path); !secure) {
      if (!optional) return secure;
      skipped_.push_back(Skipped{path, std::move(secure).error()});
      return sdk::success();
    }
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".so") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  for (const auto& file : files) {
    auto loadedOk = loadFile(file);
    if (loadedOk) continue;
    if (!optional) return loadedOk;
    skipped_.push_back(Skipped{file, std::move(loadedOk).error()});
  }
  return sdk::success();
}

}  // namespace ekaci::plugin_host
