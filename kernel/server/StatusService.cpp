#include "kernel/server/StatusService.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "ekaci/sdk/Version.h"

namespace ekaci::server {
namespace {
std::string stringify(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

Poco::JSON::Array::Ptr pluginArray(const plugin_host::PluginHost& plugins) {
  Poco::JSON::Array::Ptr loaded = new Poco::JSON::Array;
  for (const auto& plugin : plugins.loaded()) {
    Poco::JSON::Object::Ptr p = new Poco::JSON::Object;
    p->set("name", plugin.name);
    p->set("version", plugin.version);
    p->set("file", plugin.file.string());
    Poco::JSON::Array::Ptr provides = new Poco::JSON::Array;
    for (const auto& entry : plugins.registry().entries()) {
      if (entry.plugin == plugin.name) provides->add(std::string(sdk::pluginKindName(entry.kind)) + ":" + entry.type);
    }
    p->set("provides", provides);
    loaded->add(p);
  }
  return loaded;
}
}  // namespace

StatusService::StatusService(const config::ServerConfig& config, const plugin_host::PluginHost& plugins,
                             storage::Storage& storage, std::chrono::steady_clock::time_point started)
    : config_(config), plugins_(plugins), storage_(storage), started_(started) {}

std::string StatusService::statusJson() const {
  Poco::JSON::Object root;
  root.set("version", std::string(EKACI_SDK_VERSION));
  root.set("uptime_seconds",
           std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_).count());
  root.set("config_file", config_.sourceFile.empty() ? std::string("(defaults)") : config_.sourceFile.string());
  root.set("database", storage_.describe());
  root.set("schema_version", storage_.schemaVersion());
  root.set("socket_path", config_.socketPath.string());
  root.set("http", config_.web.address + ":" + std::to_string(httpPort_));
  root.set("logs_dir", config_.logsDir.string());
  root.set("plugins", pluginArray(plugins_));
  Poco::JSON::Array::Ptr skipped = new Poco::JSON::Array;
  for (const auto& s : plugins_.skipped()) {
    Poco::JSON::Object::Ptr entry = new Poco::JSON::Object;
    entry->set("file", s.file.string());
    entry->set("error", s.error.describe());
    skipped->add(entry);
  }
  root.set("skipped_plugins", skipped);
  Poco::JSON::Object::Ptr queues = new Poco::JSON::Object;
  if (auto counts = storage_.counts()) {
    for (const auto& [system, n] : counts->queuedBySystem) queues->set(system, n);
    root.set("pending_forge_messages", counts->pendingOutbox);
    root.set("jobsets", counts->jobsets);
    root.set("derivations", counts->drvs);
  }
  root.set("queue_depths", queues);
  return stringify(root);
}

std::string StatusService::pluginsJson() const {
  Poco::JSON::Object root;
  root.set("plugins", pluginArray(plugins_));
  return stringify(root);
}

}  // namespace ekaci::server
