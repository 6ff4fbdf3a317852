#include "kernel/plugin_host/PluginHost.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include "ekaci/sdk/Abi.h"
#include "tests/support/TempDir.h"

namespace ekaci::plugin_host {
namespace {

std::filesystem::path testPlugin(const std::string& name) {
  return std::filesystem::path(EKACI_TEST_PLUGIN_DIR) / (name + ".so");
}

sdk::Error loadError(PluginHost& host, const std::string& name) {
  auto result = host.loadFile(testPlugin(name));
  EXPECT_FALSE(result) << name << " should have been refused";
  return result ? sdk::Error(sdk::ErrorCode::Ok, "") : result.error();
}

}  // namespace

TEST(PluginHostTest, LoadsAGoodPluginAndItsFactories) {
  PluginHost host;
  auto loaded = host.loadFile(testPlugin("test_plugin_good"));
  ASSERT_TRUE(loaded) << loaded.error().describe();
  ASSERT_EQ(host.loaded().size(), 1u);
  EXPECT_EQ(host.loaded()[0].name, "test-good");
  EXPECT_EQ(host.loaded()[0].version, "1.0.0");
  const auto* factory = host.registry().cache("test-good");
  ASSERT_NE(factory, nullptr);
  EXPECT_EQ(factory->settings().front().name, "destination");
  EXPECT_EQ(host.registry().find(sdk::PluginKind::Cache, "test-good")->file, testPlugin("test_plugin_good").string());
}

TEST(PluginHostTest, WrongApiVersionNamesFileAndBothVersions) {
  PluginHost host;
  sdk::Error error = loadError(host, "test_plugin_wrong_api");
  EXPECT_EQ(error.code(), sdk::ErrorCode::PluginApiVersionMismatch);
  EXPECT_NE(error.message().find("test_plugin_wrong_api.so"), std::string::npos) << error.message();
  EXPECT_NE(error.message().find("API version " + std::to_string(EKACI_SDK_API_VERSION + 41)), std::string::npos)
      << error.message();
  EXPECT_NE(error.message().find("supports version " + std::to_string(EKACI_SDK_API_VERSION)), std::string::npos)
      << error.message();
  EXPECT_TRUE(host.loaded().empty());
}

TEST(PluginHostTest, WrongFingerprintNamesBothFingerprints) {
  PluginHost host;
  sdk::Error error = loadError(host, "test_plugin_wrong_fingerprint");
  EXPECT_EQ(error.code(), sdk::ErrorCode::PluginAbiMismatch);
  EXPECT_NE(error.message().find("compiler=othercc-1"), std::string::npos) << error.message();
  EXPECT_NE(error.message().find(EKACI_SDK_ABI_FINGERPRINT), std::string::npos) << error.message();
}

TEST(PluginHostTest, MissingEntrySymbolIsNotAPlugin) {
  PluginHost host;
  sdk::Error error = loadError(host, "test_plugin_no_entry");
  EXPECT_EQ(error.code(), sdk::ErrorCode::PluginMissingEntry);
  EXPECT_NE(error.message().find("ekaci_plugin_entry"), std::string::npos);
}

TEST(PluginHostTest, NullDescriptorIsRefused) {
  PluginHost host;
  EXPECT_EQ(loadError(host, "test_plugin_null_descriptor").code(), sdk::ErrorCode::PluginBadDescriptor);
}

TEST(PluginHostTest, DuplicateTypeNamesBothPlugins) {
  PluginHost host;
  ASSERT_TRUE(host.loadFile(testPlugin("test_plugin_good")));
  sdk::Error error = loadError(host, "test_plugin_duplicate");
  EXPECT_EQ(error.code(), sdk::ErrorCode::PluginDuplicateType);
  EXPECT_NE(error.message().find("cache type 'test-good'"), std::string::npos) << error.message();
  EXPECT_NE(error.message().find("test-duplicate"), std::string::npos) << error.message();
  EXPECT_NE(error.message().find("already provided by plugin test-good"), std::string::npos) << error.message();
  EXPECT_EQ(host.loaded().size(), 1u);
  EXPECT_EQ(host.registry().entries().size(), 1u);
}

TEST(PluginHostTest, SameFileTwiceIsRefused) {
  PluginHost host;
  ASSERT_TRUE(host.loadFile(testPlugin("test_plugin_good")));
  EXPECT_EQ(loadError(host, "test_plugin_good").code(), sdk::ErrorCode::PluginDuplicateType);
}

TEST(PluginHostTest, FailingRegisterLeavesNothingBehind) {
  PluginHost host;
  sdk::Error error = loadError(host, "test_plugin_register_fails");
  EXPECT_EQ(error.code(), sdk::ErrorCode::PluginRegisterFailed);
  EXPECT_NE(error.message().find("license check failed"), std::string::npos) << error.message();
  EXPECT_EQ(host.registry().evaluator("test-half-registered"), nullptr) << "half a registration must be rolled back";
  EXPECT_TRUE(host.loaded().empty());
}

TEST(PluginHostTest, ThrowingRegisterDoesNotCrossTheBoundary) {
  PluginHost host;
  sdk::Error error = loadError(host, "test_plugin_register_throws");
  EXPECT_EQ(error.code(), sdk::ErrorCode::PluginRegisterFailed);
  EXPECT_NE(error.message().find("boom in register"), std::string::npos) << error.message();
}

TEST(PluginHostTest, NotALibraryIsALoadError) {
  testsupport::TempDir dir;
  auto fake = dir.write("fake.so", "not an ELF file", 0644);
  PluginHost host;
  auto result = host.loadFile(fake);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), sdk::ErrorCode::PluginLoadFailed);
  EXPECT_NE(result.error().message().find("fake.so"), std::string::npos);
  auto missing = host.loadFile(dir.path() / "missing.so");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), sdk::ErrorCode::PluginLoadFailed);
}

TEST(PluginHostTest, WorldWritablePluginIsRefused) {
  testsupport::TempDir dir;
  auto copy = dir.path() / "writable.so";
  std::filesystem::copy_file(testPlugin("test_plugin_good"), copy);
  ::chmod(copy.c_str(), 0666);
  PluginHost host;
  auto result = host.loadFile(copy);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), sdk::ErrorCode::PluginInsecurePath);
}

TEST(PluginHostTest, OptionalFailuresAreSkippedAndRecorded) {
  testsupport::TempDir dir;
  std::filesystem::copy_file(testPlugin("test_plugin_good"), dir.path() / "a_good.so");
  std::filesystem::copy_file(testPlugin("test_plugin_wrong_api"), dir.path() / "b_wrong_api.so");
  dir.write("notes.txt", "ignored: not a .so", 0644);
  PluginHost host;
  ASSERT_TRUE(host.loadPath(dir.path(), true));
  EXPECT_EQ(host.loaded().size(), 1u);
  ASSERT_EQ(host.skipped().size(), 1u);
  EXPECT_EQ(host.skipped()[0].error.code(), sdk::ErrorCode::PluginApiVersionMismatch);

  PluginHost strict;
  auto result = strict.loadPath(dir.path(), false);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), sdk::ErrorCode::PluginApiVersionMismatch);
}

TEST(PluginHostTest, LoadedLibrariesAreNeverUnmapped) {
  std::string path = testPlugin("test_plugin_good").string();
  {
    PluginHost host;
    ASSERT_TRUE(host.loadFile(path));
  }
  std::ifstream maps("/proc/self/maps");
  std::string all((std::istreambuf_iterator<char>(maps)), std::istreambuf_iterator<char>());
  EXPECT_NE(all.find("test_plugin_good.so"), std::string::npos) << "plugin code must stay mapped after the host goes";
}

TEST(PluginHostTest, BundledDirectoryIsBesideTheBinary) {
  EXPECT_EQ(PluginHost::bundledPluginDirectory("/opt/ekaci/bin/eka-ci-server"), "/opt/ekaci/lib/ekaci/plugins");
}

}  // namespace ekaci::plugin_host
