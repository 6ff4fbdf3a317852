#include "kernel/plugin_host/GuardedCredentialSource.h"

namespace ekaci::plugin_host {

sdk::Result<void> GuardedCredentialSource::start() {
  return guard_.call<void>("start", [&] { return inner_->start(); });
}

void GuardedCredentialSource::stop() {
  (void)guard_.call<void>("stop", [&] {
    inner_->stop();
    return sdk::success();
  });
}

sdk::Result<sdk::Credentials> GuardedCredentialSource::fetch() {
  return guard_.call<sdk::Credentials>("fetch", [&] { return inner_->fetch(); });
}

std::string GuardedCredentialSource::describe() const {
  return guard_.value("describe", guard_.instance(), [&] { return inner_->describe(); });
}

}  // namespace ekaci::plugin_host
