#include "kernel/plugin_host/GuardedEvaluator.h"

#include <exception>

namespace ekaci::plugin_host {

sdk::Result<void> GuardedEvaluator::start() {
  return guard_.call<void>("start", [&] { return inner_->start(); });
}

void GuardedEvaluator::stop() {
  (void)guard_.call<void>("stop", [&] {
    inner_->stop();
    return sdk::success();
  });
}

sdk::Result<sdk::EvalSummary> GuardedEvaluator::evaluate(const sdk::EvalRequest& request, const sdk::EvalSink& sink) {
  // The kernel's own failures inside the sink (out of memory while storing an item) are the
  // kernel's: they are carried across the plugin and thrown again here.
  std::exception_ptr fromSink;
  const sdk::EvalSink guardedSink = [&](sdk::EvalItem item) {
    if (fromSink) return;
    try {
      sink(std::move(item));
    } catch (...) {
      fromSink = std::current_exception();
    }
  };
  auto summary = guard_.call<sdk::EvalSummary>("evaluate", [&] { return inner_->evaluate(request, guardedSink); });
  if (fromSink) std::rethrow_exception(fromSink);
  return summary;
}

}  // namespace ekaci::plugin_host
