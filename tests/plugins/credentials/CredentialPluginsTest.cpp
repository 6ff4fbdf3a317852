// The in-tree env and file credential plugins, loaded through the plugin host exactly as
// the server loads them, against the CredentialSource conformance suite and their own rules.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "ekaci/sdk/testing/CredentialSourceConformance.h"
#include "kernel/plugin_host/PluginHost.h"
#include "tests/support/TempDir.h"

namespace ekaci::plugins::credentials {
namespace {

using sdk::testing::CredentialSourceSubject;

plugin_host::PluginHost& bundled() {
  static plugin_host::PluginHost* host = [] {
    auto* h = new plugin_host::PluginHost;  // never unloaded
    auto loaded = h->loadPath(EKACI_BUNDLED_PLUGIN_DIR, false);
    EXPECT_TRUE(loaded) << loaded.error().describe();
    return h;
  }();
  return *host;
}

const sdk::CredentialSourceFactory& factory(const std::string& type) {
  const auto* f = bundled().registry().credentialSource(type);
  if (f == nullptr) throw std::runtime_error("plugin type missing: " + type);
  return *f;
}

sdk::Value envConfig(const std::vector<std::string>& vars) {
  sdk::Value config = sdk::Value::table();
  config.set("vars", sdk::Value::stringList(vars));
  return config;
}

sdk::Value fileConfig(const std::filesystem::path& path) {
  sdk::Value config = sdk::Value::table();
  config.set("path", sdk::Value::string(path.string()));
  return config;
}

// A directory that outlives the test binary's parameter generation.
const std::filesystem::path& fixtureDir() {
  static testsupport::TempDir* dir = new testsupport::TempDir;
  return dir->path();
}

CredentialSourceSubject envSubject() {
  ::setenv("EKACI_TEST_AWS_KEY", "AKIAEXAMPLEKEY0001", 1);
  ::setenv("EKACI_TEST_AWS_SECRET", "wJalrXUtnFEMI-example-secret", 1);
  CredentialSourceSubject s;
  s.name = "env";
  s.expected = {{"EKACI_TEST_AWS_KEY", "AKIAEXAMPLEKEY0001"}, {"EKACI_TEST_AWS_SECRET", "wJalrXUtnFEMI-example-secret"}};
  s.makeWorking = [](sdk::HostServices& host) {
    return factory("env").create(envConfig({"EKACI_TEST_AWS_KEY", "EKACI_TEST_AWS_SECRET"}), host);
  };
  s.makeMissing = [](sdk::HostServices& host) {
    return factory("env").create(envConfig({"EKACI_TEST_NEVER_SET_VARIABLE"}), host);
  };
  return s;
}

CredentialSourceSubject fileSubject() {
  const auto file = fixtureDir() / "creds.env";
  {
    std::ofstream out(file);
    out << "GITHUB_APP_ID=123456\nGITHUB_APP_PRIVATE_KEY=-----BEGIN RSA PRIVATE KEY-----\nabc\n"
           "-----END RSA PRIVATE KEY-----\n";
  }
  ::chmod(file.c_str(), 0600);
  CredentialSourceSubject s;
  s.name = "file";
  s.expected = {{"GITHUB_APP_ID", "123456"},
                {"GITHUB_APP_PRIVATE_KEY", "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----"}};
  s.makeWorking = [file](sdk::HostServices& host) { return factory("file").create(fileConfig(file), host); };
  s.makeMissing = [](sdk::HostServices& host) {
    return factory("file").create(fileConfig(fixtureDir() / "does-not-exist.json"), host);
  };
  return s;
}

}  // namespace

EKACI_CREDENTIAL_SOURCE_CONFORMANCE(Env, envSubject());
EKACI_CREDENTIAL_SOURCE_CONFORMANCE(File, fileSubject());

class FileCredentialSourceTest : public ::testing::Test {
 protected:
  sdk::Result<sdk::Credentials> fetch(const std::filesystem::path& path) {
    auto source = factory("file").create(fileConfig(path), host_);
    if (!source) return std::move(source).error();
    return (*source)->fetch();
  }
  testsupport::TempDir dir_;
  sdk::testing::FakeHostServices host_;
};

TEST_F(FileCredentialSourceTest, RefusesGroupOrWorldReadableFiles) {
  for (unsigned mode : {0644u, 0640u, 0604u, 0660u, 0602u}) {
    auto file = dir_.write("secrets.json", R"({"TOKEN": "abc"})", mode);
    auto fetched = fetch(file);
    ASSERT_FALSE(fetched) << std::oct << mode;
    EXPECT_EQ(fetched.error().code(), sdk::ErrorCode::SecretFileInsecure) << std::oct << mode;
    EXPECT_NE(fetched.error().message().find("chmod 600"), std::string::npos);
  }
  auto ok = dir_.write("secrets.json", R"({"TOKEN": "abc"})", 0400);
  EXPECT_TRUE(fetch(ok)) << "read-only for the owner is fine";
}

TEST_F(FileCredentialSourceTest, ReadsTheFileAgainOnEveryFetch) {
  auto file = dir_.write("secrets.json", R"({"TOKEN": "v1"})", 0600);
  auto source = factory("file").create(fileConfig(file), host_);
  ASSERT_TRUE(source);
  EXPECT_EQ((*source)->fetch()->find("TOKEN")->reveal(), "v1");
  dir_.write("secrets.json", R"({"TOKEN": "v2-rotated"})", 0600);
  EXPECT_EQ((*source)->fetch()->find("TOKEN")->reveal(), "v2-rotated");
}

TEST_F(FileCredentialSourceTest, RejectsRelativePathsDirectoriesAndHugeFiles) {
  EXPECT_FALSE(factory("file").create(fileConfig("relative/secrets.json"), host_));
  auto dirFetch = fetch(dir_.path());
  ASSERT_FALSE(dirFetch);
  EXPECT_EQ(dirFetch.error().code(), sdk::ErrorCode::SecretFileUnreadable);
  auto huge = dir_.write("huge.env", "A=" + std::string(std::size_t{2} * 1024 * 1024, 'x'), 0600);
  auto hugeFetch = fetch(huge);
  ASSERT_FALSE(hugeFetch);
  EXPECT_EQ(hugeFetch.error().code(), sdk::ErrorCode::SecretParse);
}

TEST(EnvCredentialSourceTest, NamesEveryMissingVariable) {
  sdk::testing::FakeHostServices host;
  auto source = factory("env").create(envConfig({"EKACI_MISSING_A", "EKACI_MISSING_B"}), host);
  ASSERT_TRUE(source);
  auto fetched = (*source)->fetch();
  ASSERT_FALSE(fetched);
  EXPECT_EQ(fetched.error().code(), sdk::ErrorCode::SecretNotFound);
  EXPECT_NE(fetched.error().message().find("EKACI_MISSING_A, EKACI_MISSING_B"), std::string::npos);
  EXPECT_FALSE(factory("env").create(envConfig({"BAD NAME"}), host));
  EXPECT_FALSE(factory("env").create(envConfig({}), host));
}

TEST(CredentialPluginsTest, DeclareTheManualsSettings) {
  EXPECT_EQ(factory("env").settings().front().name, "vars");
  EXPECT_TRUE(factory("env").settings().front().required);
  EXPECT_EQ(factory("file").settings().front().name, "path");
  EXPECT_EQ(bundled().registry().types(sdk::PluginKind::CredentialSource), (std::vector<std::string>{"env", "file"}));
}

}  // namespace ekaci::plugins::credentials
