#include "ekaci/sdk/testing/EvaluatorConformance.h"

#include "ekaci/sdk/testing/StartedInstance.h"

#include <atomic>

namespace ekaci::sdk::testing {

bool evaluatorConformanceLinked() {
  return true;
}

namespace {
StartedInstance<Evaluator> mustMake(const EvaluatorSubject& subject, FakeHostServices& host) {
  return startedOrFail(subject.make(host));
}
}  // namespace

TEST_P(EvaluatorConformance, StreamsEveryAttributeOnce) {
  auto evaluator = mustMake(GetParam(), host_);
  ASSERT_TRUE(evaluator);
  std::set<std::string> derivations, errors;
  std::size_t items = 0;
  auto summary = evaluator->evaluate(GetParam().request(), [&](const EvalItem& item) {
    ++items;
    (item.error ? errors : derivations).insert(item.attrPath);
  });
  ASSERT_TRUE(summary) << summary.error().describe();
  EXPECT_EQ(derivations, GetParam().expectedDerivations);
  EXPECT_EQ(errors, GetParam().expectedErrors);
  EXPECT_EQ(items, derivations.size() + errors.size()) << "an attribute was reported twice";
  EXPECT_EQ(summary->attributes, items);
  EXPECT_EQ(summary->errors, errors.size());
}

TEST_P(EvaluatorConformance, ItemsAreEitherDerivationsOrErrors) {
  auto evaluator = mustMake(GetParam(), host_);
  ASSERT_TRUE(evaluator);
  auto summary = evaluator->evaluate(GetParam().request(), [&](const EvalItem& item) {
    if (item.error) {
      EXPECT_TRUE(item.drvPath.empty()) << item.attrPath;
      EXPECT_FALSE(item.error->empty()) << item.attrPath;
    } else {
      EXPECT_TRUE(item.drvPath.ends_with(".drv")) << item.attrPath << ": " << item.drvPath;
      EXPECT_FALSE(item.outputs.empty()) << item.attrPath;
      EXPECT_FALSE(item.system.empty()) << item.attrPath;
    }
  });
  ASSERT_TRUE(summary) << summary.error().describe();
}

TEST_P(EvaluatorConformance, CancelledBeforeStartProducesNothing) {
  auto evaluator = mustMake(GetParam(), host_);
  ASSERT_TRUE(evaluator);
  std::atomic<bool> cancel{true};
  EvalRequest request = GetParam().request();
  request.cancel = &cancel;
  std::size_t items = 0;
  auto summary = evaluator->evaluate(request, [&](const EvalItem&) { ++items; });
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().code(), ErrorCode::Cancelled);
  EXPECT_EQ(items, 0u);
}

}  // namespace ekaci::sdk::testing
