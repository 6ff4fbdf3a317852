#include "kernel/plugin_host/GuardedEvaluator.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "ekaci/sdk/testing/FakeHostServices.h"

namespace ekaci::plugin_host {
namespace {

// Streams two items, then throws when asked to.
class TwoThenThrow final : public sdk::Evaluator {
 public:
  bool throws = true;
  sdk::Result<sdk::EvalSummary> evaluate(const sdk::EvalRequest&, const sdk::EvalSink& sink) override {
    for (const char* name : {"a", "b"}) {
      sdk::EvalItem item;
      item.attrPath = name;
      sink(std::move(item));
    }
    if (throws) throw std::out_of_range("vector::at");
    return sdk::EvalSummary{2, 0, 0, {}};
  }
};

TEST(GuardedEvaluatorTest, APluginThatThrowsAnswersPluginCallFailed) {
  sdk::testing::FakeHostServices host;
  GuardedEvaluator evaluator(std::make_unique<TwoThenThrow>(), PluginCallGuard("evaluator two/review", host));
  std::vector<std::string> seen;
  auto summary = evaluator.evaluate({}, [&](const sdk::EvalItem& item) { seen.push_back(item.attrPath); });
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().code(), sdk::ErrorCode::PluginCallFailed);
  EXPECT_NE(summary.error().message().find("evaluator two/review failed in evaluate: it threw vector::at"),
            std::string::npos)
      << summary.error().message();
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(host.fakeMetrics().value("plugin_call_failures_total", {{"call", "evaluate"}}), 1.0);
}

TEST(GuardedEvaluatorTest, TheKernelsOwnFailureInTheSinkIsTheKernels) {
  sdk::testing::FakeHostServices host;
  auto inner = std::make_unique<TwoThenThrow>();
  inner->throws = false;
  GuardedEvaluator evaluator(std::move(inner), PluginCallGuard("evaluator two/review", host));
  int calls = 0;
  EXPECT_THROW((void)evaluator.evaluate({},
                                        [&](const sdk::EvalItem&) {
                                          ++calls;
                                          throw std::bad_alloc();
                                        }),
               std::bad_alloc);
  EXPECT_EQ(calls, 1) << "after the sink failed, no more items are handed to it";
  EXPECT_FALSE(host.fakeMetrics().value("plugin_call_failures_total", {{"call", "evaluate"}}).has_value())
      << "not counted against the plugin";
}

}  // namespace
}  // namespace ekaci::plugin_host
