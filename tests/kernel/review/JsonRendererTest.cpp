// The JSON rendering of the one review model.
#include "kernel/review/JsonRenderer.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "tests/support/SizeSamples.h"

namespace ekaci::review {
namespace {

using testsupport::sampleSizes;

TEST(JsonRendererTest, SizesCarryEveryOutputAndTheLimit) {
  auto job = sampleSizes(2, 0.5);
  job.outputs[0].base.reset();
  job.outputs[0].added = true;
  ReviewReport report;
  report.sizes = std::vector<JobSizes>{job};
  const auto json = JsonRenderer::render(report);
  Poco::JSON::Parser parser;
  auto root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(root->getValue<std::string>("schema"), "ekaci.review/1") << "the report is kept";
  auto sizes = root->getArray("sizes");
  ASSERT_EQ(sizes->size(), 1u);
  auto entry = sizes->getObject(0);
  EXPECT_EQ(entry->getValue<double>("max_increase_percent"), 0.5);
  auto outputs = entry->getArray("outputs");
  ASSERT_EQ(outputs->size(), 2u);
  EXPECT_FALSE(outputs->getObject(0)->has("base_closure_size"));
  EXPECT_TRUE(outputs->getObject(0)->getValue<bool>("added"));
  EXPECT_FALSE(outputs->getObject(1)->getValue<bool>("added"));
  EXPECT_FALSE(outputs->getObject(0)->getValue<bool>("over_limit"));
  EXPECT_EQ(outputs->getObject(1)->getValue<double>("closure_change_percent"), 1.0);
  EXPECT_TRUE(outputs->getObject(1)->getValue<bool>("over_limit"));
}

// A review that did not build says nothing about builds; one that did says whether they are clean.
TEST(JsonRendererTest, BuildsAppearOnlyWhenTheReviewBuilt) {
  ReviewReport report;
  Poco::JSON::Parser parser;
  auto plain = parser.parse(JsonRenderer::render(report)).extract<Poco::JSON::Object::Ptr>();
  EXPECT_FALSE(plain->has("builds"));
  EXPECT_FALSE(plain->has("builds_clean"));
  JobBuildResults job;
  job.job = "packages";
  job.newlyFailing = 1;
  job.state = storage::BuildJobsetState::Failed;
  report.builds = std::vector<JobBuildResults>{job};
  report.sizesUnavailable = "nix path-info failed";
  auto built = parser.parse(JsonRenderer::render(report)).extract<Poco::JSON::Object::Ptr>();
  EXPECT_FALSE(built->getValue<bool>("builds_clean"));
  EXPECT_TRUE(built->getValue<bool>("clean")) << "evaluation alone is clean";
  EXPECT_EQ(built->getArray("builds")->getObject(0)->getValue<std::string>("conclusion"), "failed");
  EXPECT_EQ(built->getValue<std::string>("sizes_unavailable"), "nix path-info failed");
}

}  // namespace
}  // namespace ekaci::review
