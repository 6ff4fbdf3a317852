// docs/CONFIG.md and docs/ERRORS.md are generated from the declared settings and the error
// table; these golden tests fail when either drifts. Regenerate with EKACI_UPDATE_GOLDEN=1.
#include "kernel/config/ConfigDocumentation.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "ekaci/sdk/ErrorCode.h"
#include "kernel/config/ConfigLoader.h"
#include "kernel/config/ErrorPolicy.h"
#include "kernel/config/ServerSchema.h"
#include "tests/support/Golden.h"

namespace ekaci::config {
namespace {

void compareWithGolden(const std::string& relative, const std::string& actual) {
  const std::string problem = testsupport::compareWithGolden(relative, actual);
  EXPECT_TRUE(problem.empty()) << problem.substr(0, 300);
}

std::string generatedBlock(const std::string& body) {
  return "<!-- Generated from the code by the test suite (EKACI_UPDATE_GOLDEN=1); do not edit. -->\n\n" + body;
}

}  // namespace

// docs/CONFIG.md (the server's settings and every bundled plugin's) is checked by
// PluginDocumentationTest, which loads the plugins.

TEST(ConfigDocumentationTest, ErrorCodeReferenceIsCurrent) {
  const std::string table = ConfigDocumentation::errorCodeTable();
  compareWithGolden("docs/ERRORS.md",
                    generatedBlock("# Error codes\n\nStable numbers: a released code keeps its meaning forever.\n\n" +
                                   ErrorPolicy::markdown() + "## Every code\n\n" + table));
}

TEST(ConfigDocumentationTest, DefaultConfigRoundTripsToTheDefaults) {
  const std::string text = ConfigDocumentation::defaultToml(ServerSchema::settings());
  auto config = ConfigLoader(Environment({{"HOME", "/h"}})).loadText(text, "defaults.toml");
  ASSERT_TRUE(config) << config.error().message() << "\n" << text;
  EXPECT_EQ(config->web.port, 3030);
  EXPECT_EQ(config->graphLruCapacity, 100000);
  EXPECT_EQ(config->defaultMergeMethod, "squash");
  EXPECT_NE(text.find("graph_lru_capacity = 100000"), std::string::npos);
  EXPECT_NE(text.find("Environment: EKA_CI_GRAPH_LRU_CAPACITY"), std::string::npos);
}

}  // namespace ekaci::config
