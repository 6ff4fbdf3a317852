// Every complete ekaci.toml example printed in the Eka CI manual is accepted as written.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "kernel/config/ConfigLoader.h"

namespace ekaci::config {

class ManualExamplesTest : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(ManualExamplesTest, IsAcceptedAsWritten) {
  ConfigLoader loader(Environment({{"HOME", "/home/ci"}}));
  auto config = loader.load(GetParam());
  ASSERT_TRUE(config) << config.error().message();
}

std::vector<std::filesystem::path> manualExamples() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(EKACI_SOURCE_DIR "/tests/data/config")) {
    if (entry.path().filename().string().rfind("manual-", 0) == 0) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

INSTANTIATE_TEST_SUITE_P(Manual, ManualExamplesTest, ::testing::ValuesIn(manualExamples()),
                         [](const auto& info) { return info.param.stem().string().substr(7); });

TEST(ManualExamplesCoverageTest, AllDocumentedSectionsAppear) {
  // The examples cover every credential tag the manual documents for ekaci.toml.
  std::string all;
  for (const auto& file : manualExamples()) {
    std::ifstream in(file);
    all += std::string(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_GE(manualExamples().size(), 30u);
  for (const char* needle : {"[web]", "[oauth]", "[security]", "[rebuild]", "[[github_apps]]", "[[caches]]", "vault",
                             "aws-secrets-manager", "systemd-credential", "instance-metadata", "aws-profile",
                             "github-app-key-file", "cachix-token", "none = {}", "env = { vars"}) {
    EXPECT_NE(all.find(needle), std::string::npos) << needle;
  }
}

TEST(ManualExamplesTest, FullExampleMeansWhatItSays) {
  ConfigLoader loader(Environment({{"HOME", "/home/ci"}}));
  auto config = loader.load(std::filesystem::path(EKACI_SOURCE_DIR "/tests/data/config/manual-2321.toml"));
  ASSERT_TRUE(config) << config.error().message();
  EXPECT_EQ(config->web.port, 3030);
  EXPECT_EQ(config->dbPath, "/var/lib/ekaci/sqlite.db");
  EXPECT_EQ(config->logsDir, "/var/log/ekaci");
  EXPECT_EQ(config->graphLruCapacity, 100000);
  ASSERT_EQ(config->forges.size(), 1u);
  ASSERT_EQ(config->forges[0].type, "github");
  const sdk::Value& app = config->forges[0].settings.find("apps")->items().at(0);
  EXPECT_EQ(app.find("id")->asString(), "production");
  EXPECT_FALSE(app.findPath("permissions.allow_all")->asBool());
  EXPECT_EQ(app.findPath("permissions.allowed_repos")->asStringList(), std::vector<std::string>{"myorg/*"});
  ASSERT_NE(app.findPath("credentials.vault.secret_path"), nullptr);
  EXPECT_EQ(app.findPath("credentials.vault.secret_path")->asString(), "eka-ci/github-app");
  ASSERT_EQ(config->caches.size(), 1u);
  EXPECT_EQ(config->caches[0].cacheType, "nix-copy");
  EXPECT_EQ(config->caches[0].permissions.allowedBranches, std::vector<std::string>{"main"});
  ASSERT_TRUE(config->oauth.clientSecret.has_value());
  EXPECT_FALSE(config->warnings.empty()) << "db_path etc. sit inside [web] in the manual's example";
}

}  // namespace ekaci::config
