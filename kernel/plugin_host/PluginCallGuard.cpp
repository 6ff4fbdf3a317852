#include "kernel/plugin_host/PluginCallGuard.h"

namespace ekaci::plugin_host {

sdk::Error PluginCallGuard::failed(std::string_view what, std::string_view why) const noexcept {
  constexpr std::size_t kMaxReason = 300;  // an exception's text may quote what the plugin was parsing
  std::string reason(why.substr(0, kMaxReason));
  if (why.size() > kMaxReason) reason += "...";
  std::string message = instance_ + " failed in " + std::string(what) + ": it threw " + reason;
  try {
    host_.logger().error(message, {{"call", std::string(what)}});
    host_.metrics()
        .counter("plugin_call_failures_total", "Calls into plugin instances that threw instead of returning.",
                 {{"call", std::string(what)}})
        .increment();
  } catch (...) {  // NOLINT(bugprone-empty-catch): reporting must not turn a caught failure into a crash
  }
  return sdk::Error(sdk::ErrorCode::PluginCallFailed, std::move(message));
}

}  // namespace ekaci::plugin_host
