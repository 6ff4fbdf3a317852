#pragma once

#include <memory>

#include "ekaci/sdk/Evaluator.h"
#include "kernel/plugin_host/PluginCallGuard.h"

namespace ekaci::plugin_host {

// An evaluator instance as the kernel holds it: every call goes through a PluginCallGuard
// (an exception thrown by the sink, that is by the kernel, passes through unchanged).
class GuardedEvaluator final : public sdk::Evaluator {
 public:
  GuardedEvaluator(std::unique_ptr<sdk::Evaluator> inner, PluginCallGuard guard)
      : inner_(std::move(inner)), guard_(std::move(guard)) {}

  sdk::Result<void> start() override;
  void stop() override;
  sdk::Result<sdk::EvalSummary> evaluate(const sdk::EvalRequest& request, const sdk::EvalSink& sink) override;

 private:
  std::unique_ptr<sdk::Evaluator> inner_;
  PluginCallGuard guard_;
};

}  // namespace ekaci::plugin_host
