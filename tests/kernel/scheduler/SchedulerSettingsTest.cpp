#include "kernel/scheduler/SchedulerSettings.h"

#include <gtest/gtest.h>

#include "kernel/config/ConfigLoader.h"
#include "kernel/services/PosixProcessRunner.h"
#include "tests/support/TempDir.h"

namespace ekaci::scheduler {
namespace {

config::ServerConfig load(const std::string& toml) {
  auto loaded = config::ConfigLoader(config::Environment({{"HOME", "/h"}})).loadText(toml, "ekaci.toml");
  EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error().describe());
  return std::move(loaded).value();
}

TEST(SchedulerSettingsTest, BuildersBlockBecomesTheSchedulerConfiguration) {
  testsupport::TempDir dir;
  auto machines = dir.write("machines", "ssh://b1 x86_64-linux,aarch64-linux - 8 2 kvm\n");
  auto config = load(
      "build_no_output_timeout_seconds = 600\nbuild_max_duration_seconds = 7200\ngraph_lru_capacity = 2500\n"
      "[builders]\nmax_jobs = 3\nfixed_output_max_jobs = 1\nbatch_size = 4\nfeatures = [\"kvm\"]\n"
      "machines_file = \"" +
      machines.string() +
      "\"\nfailure_cache_seconds = 60\n"
      "nix_options = [\"substituters = \", \"cores=2\"]\n");
  auto settings = SchedulerSettings::fromServerConfig(config);
  ASSERT_TRUE(settings) << settings.error().describe();
  EXPECT_EQ(settings->localMaxJobs, 3u);
  EXPECT_EQ(settings->fixedOutputMaxJobs, 1u);
  EXPECT_EQ(settings->batchSize, 4u);
  EXPECT_EQ(settings->localFeatures, (std::vector<std::string>{"kvm"}));
  EXPECT_EQ(settings->nix.noOutputTimeout, std::chrono::seconds(600));
  EXPECT_EQ(settings->nix.maxDuration, std::chrono::seconds(7200));
  EXPECT_EQ(settings->failureCacheTtl, std::chrono::seconds(60));
  EXPECT_EQ(settings->graphCapacity, 2500u);
  ASSERT_EQ(settings->remoteBuilders.size(), 1u);
  EXPECT_EQ(settings->remoteBuilders[0].maxJobs, 8u);
  EXPECT_EQ(settings->nix.options,
            (std::vector<std::pair<std::string, std::string>>{{"substituters", ""}, {"cores", "2"}}));
  EXPECT_EQ(settings->logsDir, config.logsDir);
}

TEST(SchedulerSettingsTest, DefaultsUseEveryCoreAndNoRemoteBuilders) {
  auto settings = SchedulerSettings::fromServerConfig(load(""));
  ASSERT_TRUE(settings);
  EXPECT_GE(settings->localMaxJobs, 1u);
  EXPECT_EQ(settings->batchSize, 8u);
  EXPECT_EQ(settings->graphCapacity, 100000u);
  EXPECT_TRUE(settings->remoteBuilders.empty());
}

TEST(SchedulerSettingsTest, BadNixOptionsAndMachinesFilesStopStartUp) {
  auto option = SchedulerSettings::fromServerConfig(load("[builders]\nnix_options = [\"substituters\"]\n"));
  ASSERT_FALSE(option);
  EXPECT_NE(option.error().message().find("NAME=VALUE"), std::string::npos);
  testsupport::TempDir dir;
  auto machines = dir.write("machines", "ssh://b1 x86_64-linux - lots\n");
  auto bad = SchedulerSettings::fromServerConfig(load("[builders]\nmachines_file = \"" + machines.string() + "\"\n"));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find(":1:"), std::string::npos) << bad.error().message();
  auto missing = SchedulerSettings::fromServerConfig(load("[builders]\nmachines_file = \"/nonexistent/machines\"\n"));
  EXPECT_FALSE(missing);
}

TEST(SchedulerSettingsTest, HostSystemIsNixs) {
  services::PosixProcessRunner runner;
  const auto system = SchedulerSettings::hostSystem(runner);
  EXPECT_NE(system.find("-linux"), std::string::npos) << system;
}

}  // namespace
}  // namespace ekaci::scheduler
