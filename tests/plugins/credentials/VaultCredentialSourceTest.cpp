// The vault credential source against a local server that answers Vault's KV version 2
// read (GET /v1/<mount>/data/<path>) as Vault documents it: X-Vault-Token required, 403 for a
// path the token's policy does not allow, 404 for a missing secret, X-Vault-Namespace honoured.
#include <gtest/gtest.h>

#include <cstdlib>

#include "ekaci/sdk/testing/CredentialSourceConformance.h"
#include "kernel/plugin_host/PluginHost.h"
#include "plugins/credentials/vault/VaultCredentialSource.h"
#include "tests/support/LiveHostServices.h"
#include "tests/support/LocalHttpServer.h"

namespace ekaci::plugins::credentials {
namespace {

using testsupport::LocalHttpServer;

constexpr const char* kToken = "hvs.vault-test-token-0001";

LocalHttpServer::Answer kvAnswer(const LocalHttpServer::Request& r) {
  auto header = [&](const std::string& name) { return r.headers.count(name) != 0 ? r.headers.at(name) : ""; };
  if (r.method != "GET") return LocalHttpServer::message(405, "method");
  if (header("x-vault-token") != kToken) return {403, R"({"errors":["permission denied"]})", {}};
  if (r.target == "/v1/secret/data/eka-ci/s3-cache") {
    return {200,
            R"({"request_id":"1","lease_id":"","renewable":false,"lease_duration":0,)"
            R"("data":{"data":{"AWS_ACCESS_KEY_ID":"AKIAVAULT0001","AWS_SECRET_ACCESS_KEY":"vault/secret+key"},)"
            R"("metadata":{"created_time":"2026-01-01T00:00:00Z","version":3}}})",
            {}};
  }
  if (r.target == "/v1/kv/data/leased") {
    return {200, R"({"lease_duration":3600,"data":{"data":{"TOKEN":"leased-value"},"metadata":{}}})", {}};
  }
  if (r.target == "/v1/secret/data/prod-only") {
    if (header("x-vault-namespace") != "prod") return {403, R"({"errors":["permission denied"]})", {}};
    return {200, R"({"lease_duration":0,"data":{"data":{"K":"in-namespace"},"metadata":{}}})", {}};
  }
  if (r.target == "/v1/secret/data/forbidden")
    return {403, R"({"errors":["1 error occurred:\n\t* permission denied\n\n"]})", {}};
  return {404, R"({"errors":[]})", {}};
}

LocalHttpServer& vault() {
  static LocalHttpServer* server = new LocalHttpServer(kvAnswer);
  return *server;
}

testsupport::LiveHostServices& liveHost() {
  static testsupport::LiveHostServices* host = new testsupport::LiveHostServices;
  return *host;
}

plugin_host::PluginHost& bundled() {
  static plugin_host::PluginHost* host = [] {
    auto* h = new plugin_host::PluginHost;
    EXPECT_TRUE(h->loadPath(EKACI_BUNDLED_PLUGIN_DIR, false));
    return h;
  }();
  return *host;
}

sdk::Result<std::unique_ptr<sdk::CredentialSource>> make(const std::string& path, const std::string& ns = "",
                                                         sdk::HostServices& host = liveHost()) {
  sdk::Value config = sdk::Value::table();
  config.set("address", sdk::Value::string(vault().url() + "/"));
  config.set("secret_path", sdk::Value::string(path));
  config.set("token_env", sdk::Value::string("EKACI_TEST_VAULT_TOKEN"));
  if (!ns.empty()) config.set("namespace", sdk::Value::string(ns));
  return bundled().registry().credentialSource("vault")->create(config, host);
}

sdk::testing::CredentialSourceSubject vaultSubject() {
  ::setenv("EKACI_TEST_VAULT_TOKEN", kToken, 1);
  sdk::testing::CredentialSourceSubject s;
  s.name = "vault";
  s.expected = {{"AWS_ACCESS_KEY_ID", "AKIAVAULT0001"}, {"AWS_SECRET_ACCESS_KEY", "vault/secret+key"}};
  s.makeWorking = [](sdk::HostServices&) { return make("secret/data/eka-ci/s3-cache"); };
  s.makeMissing = [](sdk::HostServices&) { return make("secret/data/nothing-here"); };
  return s;
}

}  // namespace

EKACI_CREDENTIAL_SOURCE_CONFORMANCE(Vault, vaultSubject());

TEST(VaultCredentialSourceTest, PathsWithoutDataAreReadFromTheKvV2Endpoint) {
  EXPECT_EQ(VaultCredentialSource::apiPathOf("secret/data/eka-ci/s3-cache"), "secret/data/eka-ci/s3-cache");
  EXPECT_EQ(VaultCredentialSource::apiPathOf("secret/eka-ci/s3-cache"), "secret/data/eka-ci/s3-cache");
  EXPECT_EQ(VaultCredentialSource::apiPathOf("/kv/x/"), "kv/data/x");
  EXPECT_EQ(VaultCredentialSource::apiPathOf("eka-ci"), "secret/data/eka-ci");
  auto source = make("secret/eka-ci/s3-cache");
  ASSERT_TRUE(source);
  auto fetched = (*source)->fetch();
  ASSERT_TRUE(fetched) << fetched.error().describe();
  EXPECT_EQ(fetched->find("AWS_ACCESS_KEY_ID")->reveal(), "AKIAVAULT0001");
}

TEST(VaultCredentialSourceTest, PermissionDeniedAndMissingTokenAreNamedWithoutTheToken) {
  auto forbidden = make("secret/data/forbidden");
  ASSERT_TRUE(forbidden);
  auto denied = (*forbidden)->fetch();
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code(), sdk::ErrorCode::SecretSourceUnavailable);
  EXPECT_NE(denied.error().message().find("permission denied"), std::string::npos);
  EXPECT_EQ(denied.error().message().find(kToken), std::string::npos);
  ::unsetenv("EKACI_TEST_VAULT_TOKEN");
  auto noToken = (*forbidden)->fetch();
  ::setenv("EKACI_TEST_VAULT_TOKEN", kToken, 1);
  ASSERT_FALSE(noToken);
  EXPECT_NE(noToken.error().message().find("EKACI_TEST_VAULT_TOKEN"), std::string::npos);
  sdk::Value bad = sdk::Value::table();
  bad.set("address", sdk::Value::string("vault.example.com"));
  bad.set("secret_path", sdk::Value::string("secret/x"));
  EXPECT_FALSE(bundled().registry().credentialSource("vault")->create(bad, liveHost()));
  bad.set("address", sdk::Value::string("https://vault.example.com"));
  bad.set("secret_path", sdk::Value::string("secret/../sys/raw"));
  EXPECT_FALSE(bundled().registry().credentialSource("vault")->create(bad, liveHost()));
}

TEST(VaultCredentialSourceTest, TheNamespaceHeaderIsSent) {
  auto without = make("secret/data/prod-only");
  ASSERT_TRUE(without);
  EXPECT_FALSE((*without)->fetch());
  auto with = make("secret/data/prod-only", "prod");
  ASSERT_TRUE(with);
  auto fetched = (*with)->fetch();
  ASSERT_TRUE(fetched) << fetched.error().describe();
  EXPECT_EQ(fetched->find("K")->reveal(), "in-namespace");
}

TEST(VaultCredentialSourceTest, ALeaseIsRespectedAndAKvAnswerIsNotKept) {
  // A clock the test moves, real HTTP.
  class Host : public testsupport::LiveHostServices {
   public:
    sdk::Clock& clock() override { return manualClock(); }
  } host;
  auto leased = make("kv/data/leased", "", host);
  ASSERT_TRUE(leased);
  const auto before = vault().requests().size();
  ASSERT_TRUE((*leased)->fetch());
  ASSERT_TRUE((*leased)->fetch());
  EXPECT_EQ(vault().requests().size(), before + 1) << "within lease_duration the answer is reused";
  host.manualClock().advance(std::chrono::seconds(3601));
  ASSERT_TRUE((*leased)->fetch());
  EXPECT_EQ(vault().requests().size(), before + 2) << "after the lease it is asked again";
  auto kv = make("secret/data/eka-ci/s3-cache", "", host);
  ASSERT_TRUE(kv);
  ASSERT_TRUE((*kv)->fetch());
  ASSERT_TRUE((*kv)->fetch());
  EXPECT_EQ(vault().requests().size(), before + 4) << "lease_duration 0: asked at every fetch (rotation)";
}

}  // namespace ekaci::plugins::credentials

#include "tests/support/LocalTlsServer.h"
#include "tests/support/TempDir.h"

namespace ekaci::plugins::credentials {

TEST(VaultCredentialSourceTest, TlsTrustsTheConfiguredCaAndPresentsTheClientCertificate) {
  testsupport::TempDir dir;
  testsupport::TestCertificates pki(dir.path() / "pki");
  testsupport::LocalTlsServer server(pki, true,
                                     R"({"lease_duration":0,"data":{"data":{"TOKEN":"over-tls"},"metadata":{}}})");
  ::setenv("EKACI_TEST_VAULT_TOKEN", kToken, 1);
  auto configured = [&](bool withCa, bool withClient) {
    sdk::Value config = sdk::Value::table();
    config.set("address", sdk::Value::string(server.base()));
    config.set("secret_path", sdk::Value::string("secret/tls"));
    config.set("token_env", sdk::Value::string("EKACI_TEST_VAULT_TOKEN"));
    if (withCa) config.set("ca_cert", sdk::Value::string(pki.ca.string()));
    if (withClient) {
      config.set("client_cert", sdk::Value::string(pki.clientCert.string()));
      config.set("client_key", sdk::Value::string(pki.clientKey.string()));
    }
    return bundled().registry().credentialSource("vault")->create(config, liveHost());
  };
  auto full = configured(true, true);
  ASSERT_TRUE(full) << full.error().describe();
  auto fetched = (*full)->fetch();
  ASSERT_TRUE(fetched) << fetched.error().describe();
  EXPECT_EQ(fetched->find("TOKEN")->reveal(), "over-tls");

  auto systemTrust = configured(false, true);
  ASSERT_TRUE(systemTrust);
  auto untrusted = (*systemTrust)->fetch();
  ASSERT_FALSE(untrusted) << "the test CA is not in the system's trust store";
  EXPECT_EQ(untrusted.error().code(), sdk::ErrorCode::SecretSourceUnavailable);
  auto noClient = configured(true, false);
  ASSERT_TRUE(noClient);
  EXPECT_FALSE((*noClient)->fetch()) << "the listener requires a client certificate";
  EXPECT_EQ(server.answered(), 1);
}

TEST(VaultCredentialSourceTest, TlsSettingsAreCheckedWhenTheSourceIsCreated) {
  testsupport::TempDir dir;
  auto make = [&](const std::string& address, const std::vector<std::pair<std::string, std::string>>& extra) {
    sdk::Value config = sdk::Value::table();
    config.set("address", sdk::Value::string(address));
    config.set("secret_path", sdk::Value::string("secret/x"));
    for (const auto& [k, v] : extra) config.set(k, sdk::Value::string(v));
    return bundled().registry().credentialSource("vault")->create(config, liveHost());
  };
  auto cert = dir.write("client.pem", "x");
  auto missing = make("https://vault.example.org", {{"ca_cert", (dir.path() / "none.pem").string()}});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("ca_cert"), std::string::npos) << missing.error().message();
  auto half = make("https://vault.example.org", {{"client_cert", cert.string()}});
  ASSERT_FALSE(half);
  EXPECT_NE(half.error().message().find("go together"), std::string::npos);
  auto plain = make("http://vault.example.org", {{"ca_cert", cert.string()}});
  ASSERT_FALSE(plain);
  EXPECT_NE(plain.error().message().find("https://"), std::string::npos);
}

}  // namespace ekaci::plugins::credentials
