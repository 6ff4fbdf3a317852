#pragma once

#include <exception>
#include <string>
#include <string_view>

#include "ekaci/sdk/Error.h"
#include "ekaci/sdk/HostServices.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::plugin_host {

// The kernel's side of every call into a plugin instance: an exception thrown by the plugin
// (std::exception or anything else) is caught, logged on the instance's logger, counted in
// eka_ci_plugin_call_failures_total{call} (the host adds the instance's labels) and
// returned as E3009 plugin.call_failed naming the instance and the call. It never reaches
// the kernel's threads.
//
// Threading: const and stateless beyond its references; any thread.
class PluginCallGuard {
 public:
  PluginCallGuard(std::string instance, sdk::HostServices& host) : instance_(std::move(instance)), host_(host) {}

  template <class T, class Call>
  sdk::Result<T> call(std::string_view what, Call&& body) const noexcept {
    try {
      return body();
    } catch (const std::exception& e) {
      return failed(what, e.what());
    } catch (...) {
      return failed(what, "an exception that is not a std::exception");
    }
  }

  // For the few calls that do not return a Result: `fallback` when the plugin throws.
  template <class T, class Call>
  T value(std::string_view what, T fallback, Call&& body) const noexcept {
    try {
      return body();
    } catch (const std::exception& e) {
      (void)failed(what, e.what());
    } catch (...) {
      (void)failed(what, "an exception that is not a std::exception");
    }
    return fallback;
  }

  const std::string& instance() const noexcept { return instance_; }

 private:
  sdk::Error failed(std::string_view what, std::string_view why) const noexcept;

  std::string instance_;  // "forge github/default"
  sdk::HostServices& host_;
};

}  // namespace ekaci::plugin_host
