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
  s.expected = {{"EKACI_TEST_AWS_KEY", "AKIAEXAMPLEKEY0001"},
                {"EKACI_TEST_AWS_SECRET", "wJalrXUtnFEMI-example-secret"}};
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

sdk::Value table(const std::vector<std::pair<std::string, std::string>>& entries) {
  sdk::Value config = sdk::Value::table();
  for (const auto& [k, v] : entries) config.set(k, sdk::Value::string(v));
  return config;
}

void writePrivate(const std::filesystem::path& path, const std::string& text, unsigned mode = 0600) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
  ::chmod(path.c_str(), mode);
}

CredentialSourceSubject systemdSubject() {
  const auto dir = fixtureDir() / "credentials-directory";
  writePrivate(dir / "s3-cache-creds", "AWS_ACCESS_KEY_ID=AKIASYSTEMD0001\nAWS_SECRET_ACCESS_KEY=systemd/secret+key\n",
               0400);
  ::setenv("CREDENTIALS_DIRECTORY", dir.c_str(), 1);
  CredentialSourceSubject s;
  s.name = "systemd";
  s.expected = {{"AWS_ACCESS_KEY_ID", "AKIASYSTEMD0001"}, {"AWS_SECRET_ACCESS_KEY", "systemd/secret+key"}};
  s.makeWorking = [](sdk::HostServices& host) {
    return factory("systemd-credential").create(table({{"name", "s3-cache-creds"}}), host);
  };
  s.makeMissing = [](sdk::HostServices& host) {
    return factory("systemd-credential").create(table({{"credential_id", "never-loaded"}}), host);
  };
  return s;
}

CredentialSourceSubject cachixTokenSubject() {
  ::setenv("EKACI_TEST_CACHIX", "eyJhbGciOiJIUzI1NiJ9.cachix-token", 1);
  CredentialSourceSubject s;
  s.name = "cachix_token";
  s.expected = {{"CACHIX_AUTH_TOKEN", "eyJhbGciOiJIUzI1NiJ9.cachix-token"}};
  s.makeWorking = [](sdk::HostServices& host) {
    return factory("cachix-token").create(table({{"env_var", "EKACI_TEST_CACHIX"}}), host);
  };
  s.makeMissing = [](sdk::HostServices& host) {
    return factory("cachix-token").create(table({{"env_var", "EKACI_TEST_NO_CACHIX"}}), host);
  };
  return s;
}

constexpr const char* kPem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAtest\n-----END RSA PRIVATE KEY-----\n";

CredentialSourceSubject githubKeyFileSubject() {
  writePrivate(fixtureDir() / "app.pem", kPem);
  ::setenv("EKACI_TEST_APP_ID", "424242", 1);
  CredentialSourceSubject s;
  s.name = "github_app_key_file";
  s.expected = {{"GITHUB_APP_ID", "424242"}, {"GITHUB_APP_PRIVATE_KEY", kPem}};
  s.makeWorking = [](sdk::HostServices& host) {
    return factory("github-app-key-file")
        .create(table({{"app_id_env", "EKACI_TEST_APP_ID"}, {"key_file", (fixtureDir() / "app.pem").string()}}), host);
  };
  s.makeMissing = [](sdk::HostServices& host) {
    return factory("github-app-key-file")
        .create(table({{"app_id_env", "EKACI_TEST_APP_ID"}, {"key_file", (fixtureDir() / "none.pem").string()}}), host);
  };
  return s;
}

CredentialSourceSubject awsProfileSubject() {
  writePrivate(fixtureDir() / "aws" / "credentials",
               "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = default-secret\n\n"
               "[production]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
               "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nregion = us-west-2\n");
  ::setenv("AWS_SHARED_CREDENTIALS_FILE", (fixtureDir() / "aws" / "credentials").c_str(), 1);
  ::setenv("AWS_CONFIG_FILE", (fixtureDir() / "aws" / "config").c_str(), 1);
  CredentialSourceSubject s;
  s.name = "aws_profile";
  s.expected = {{"AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"},
                {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
                {"AWS_REGION", "us-west-2"}};
  s.makeWorking = [](sdk::HostServices& host) {
    return factory("aws-profile").create(table({{"profile", "production"}}), host);
  };
  s.makeMissing = [](sdk::HostServices& host) {
    return factory("aws-profile").create(table({{"profile", "staging"}}), host);
  };
  return s;
}

}  // namespace

EKACI_CREDENTIAL_SOURCE_CONFORMANCE(Env, envSubject());
EKACI_CREDENTIAL_SOURCE_CONFORMANCE(File, fileSubject());
EKACI_CREDENTIAL_SOURCE_CONFORMANCE(Systemd, systemdSubject());
EKACI_CREDENTIAL_SOURCE_CONFORMANCE(CachixToken, cachixTokenSubject());
EKACI_CREDENTIAL_SOURCE_CONFORMANCE(GithubAppKeyFile, githubKeyFileSubject());
EKACI_CREDENTIAL_SOURCE_CONFORMANCE(AwsProfile, awsProfileSubject());

TEST(SystemdCredentialSourceTest, BareValuesNeedAKeyAndNamesCannotEscape) {
  sdk::testing::FakeHostServices host;
  const auto dir = std::filesystem::path(std::getenv("CREDENTIALS_DIRECTORY"));
  writePrivate(dir / "cachix", "bare-token-value\n", 0400);
  auto keyed = factory("systemd-credential").create(table({{"name", "cachix"}, {"key", "CACHIX_AUTH_TOKEN"}}), host);
  ASSERT_TRUE(keyed);
  auto fetched = (*keyed)->fetch();
  ASSERT_TRUE(fetched) << fetched.error().describe();
  EXPECT_EQ(fetched->find("CACHIX_AUTH_TOKEN")->reveal(), "bare-token-value");
  auto bare = factory("systemd-credential").create(table({{"name", "cachix"}}), host);
  ASSERT_TRUE(bare);
  EXPECT_FALSE((*bare)->fetch()) << "a bare value without key is not KEY=value";
  EXPECT_FALSE(factory("systemd-credential").create(table({{"name", "../etc/shadow"}}), host));
  EXPECT_FALSE(factory("systemd-credential").create(table({}), host));
  EXPECT_FALSE(factory("systemd-credential").create(table({{"name", "a"}, {"credential_id", "b"}}), host));
}

TEST(GithubAppKeyFileSourceTest, TheKeyFileMustBePrivateAndAKey) {
  sdk::testing::FakeHostServices host;
  testsupport::TempDir dir;
  writePrivate(dir.path() / "open.pem", kPem, 0644);
  writePrivate(dir.path() / "not-a-key.pem", "hello\n");
  auto open =
      factory("github-app-key-file")
          .create(table({{"app_id_env", "EKACI_TEST_APP_ID"}, {"key_file", (dir.path() / "open.pem").string()}}), host);
  ASSERT_TRUE(open);
  EXPECT_EQ((*open)->fetch().error().code(), sdk::ErrorCode::SecretFileInsecure);
  auto garbage =
      factory("github-app-key-file")
          .create(table({{"app_id_env", "EKACI_TEST_APP_ID"}, {"key_file", (dir.path() / "not-a-key.pem").string()}}),
                  host);
  ASSERT_TRUE(garbage);
  EXPECT_EQ((*garbage)->fetch().error().code(), sdk::ErrorCode::SecretParse);
}

TEST(AwsProfileSourceTest, SessionTokensAndTheConfigFilesRegion) {
  sdk::testing::FakeHostServices host;
  testsupport::TempDir dir;
  writePrivate(dir.path() / "credentials",
               "# comment\n[ci]\nAWS_ACCESS_KEY_ID=AKIACI\naws_secret_access_key=ci-secret\naws_session_token = tok\n");
  writePrivate(dir.path() / "config", "[profile ci]\nregion = eu-central-1\n", 0644);
  ::setenv("AWS_SHARED_CREDENTIALS_FILE", (dir.path() / "credentials").c_str(), 1);
  ::setenv("AWS_CONFIG_FILE", (dir.path() / "config").c_str(), 1);
  auto source = factory("aws-profile").create(table({{"profile", "ci"}}), host);
  ASSERT_TRUE(source);
  auto fetched = (*source)->fetch();
  ASSERT_TRUE(fetched) << fetched.error().describe();
  EXPECT_EQ(fetched->find("AWS_SESSION_TOKEN")->reveal(), "tok");
  EXPECT_EQ(fetched->find("AWS_REGION")->reveal(), "eu-central-1");
  ::chmod((dir.path() / "credentials").c_str(), 0640);
  EXPECT_EQ((*source)->fetch().error().code(), sdk::ErrorCode::SecretFileInsecure);
  ::setenv("AWS_SHARED_CREDENTIALS_FILE", (fixtureDir() / "aws" / "credentials").c_str(), 1);
  ::setenv("AWS_CONFIG_FILE", (fixtureDir() / "aws" / "config").c_str(), 1);
}

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
  EXPECT_EQ(bundled().registry().types(sdk::PluginKind::CredentialSource),
            (std::vector<std::string>{"aws-profile", "aws-secrets-manager", "cachix-token", "env", "file",
                                      "github-app-key-file", "instance-metadata", "systemd-credential", "vault"}));
}

}  // namespace ekaci::plugins::credentials
