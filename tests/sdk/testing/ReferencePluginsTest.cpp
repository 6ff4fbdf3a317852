// The reference plugins of sdk/testing, loaded through the real plugin host, each passing
// its kind's conformance suite: proof that the suites and the host work together.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "ekaci/sdk/testing/CacheConformance.h"
#include "ekaci/sdk/testing/CredentialSourceConformance.h"
#include "ekaci/sdk/testing/EvaluatorConformance.h"
#include "ekaci/sdk/testing/ForgeConformance.h"
#include "kernel/plugin_host/PluginHost.h"

namespace ekaci::sdk::testing {
namespace {

// Loaded once per test binary; plugins are never unloaded.
plugin_host::PluginHost& host() {
  static plugin_host::PluginHost* loaded = [] {
    auto* h = new plugin_host::PluginHost;
    auto result = h->loadPath(EKACI_REFERENCE_PLUGIN_DIR, false);
    if (!result) ADD_FAILURE() << result.error().describe();
    return h;
  }();
  return *loaded;
}

std::string hmac(const std::string& secret, const std::string& body);

CredentialSourceSubject staticSubject() {
  CredentialSourceSubject s;
  s.name = "static";
  s.expected = {{"API_TOKEN", "t0ken-value-123"}, {"OTHER", "second-secret"}};
  s.makeWorking = [](HostServices& services) -> Result<std::unique_ptr<CredentialSource>> {
    Value config = Value::table();
    Value values = Value::table();
    values.set("API_TOKEN", Value::string("t0ken-value-123"));
    values.set("OTHER", Value::string("second-secret"));
    config.set("values", values);
    return host().registry().credentialSource("static")->create(config, services);
  };
  s.makeMissing = [](HostServices& services) -> Result<std::unique_ptr<CredentialSource>> {
    return host().registry().credentialSource("static")->create(Value::table(), services);
  };
  return s;
}

CacheSubject memorySubject() {
  CacheSubject s;
  s.name = "memory";
  s.samplePaths = {"/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-one",
                   "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-two"};
  s.make = [](FakeHostServices& services) -> Result<std::unique_ptr<Cache>> {
    return host().registry().cache("memory")->create(Value::table(), services);
  };
  return s;
}

ForgeSubject recordingSubject() {
  ForgeSubject s;
  s.name = "recording";
  const std::string body = "event=opened\nowner=acme\nrepo=pkgs\nnumber=12\nhead=abc123\nbase=def456\n";
  s.signedOpenedDelivery = [body] {
    return WebhookRequest{{{"X-Ekaci-Signature-256", hmac("s3cret", body)}}, body, "/webhooks/recording"};
  };
  s.unsignedDelivery = [body] { return WebhookRequest{{}, body, "/webhooks/recording"}; };
  s.signedMalformedDelivery = [] {
    const std::string bad = "this is not an event";
    return WebhookRequest{{{"x-ekaci-signature-256", hmac("s3cret", bad)}}, bad, "/webhooks/recording"};
  };
  s.signedUnknownDelivery = [] {
    const std::string body = "event=star\naction=created\n";
    return WebhookRequest{{{"X-Ekaci-Signature-256", hmac("s3cret", body)}}, body, "/webhooks/recording"};
  };
  s.repository.owner = "acme";
  s.repository.name = "pkgs";
  s.changeRequest.repository = s.repository;
  s.changeRequest.number = 12;
  s.changeRequest.headSha = "abc123";
  s.make = [](FakeHostServices& services) -> Result<std::unique_ptr<Forge>> {
    Value config = Value::table();
    config.set("webhook_secret", Value::string("s3cret"));
    auto forge = host().registry().forge("recording")->create(config, services);
    if (forge) {
      // The forge learns the head of #12 from a delivery, as it would in production.
      const std::string body = "event=opened\nowner=acme\nrepo=pkgs\nnumber=12\nhead=abc123\n";
      (void)(*forge)->webhooks().parse(WebhookRequest{{}, body, "/"});
    }
    return forge;
  };
  return s;
}

EvaluatorSubject scriptedSubject() {
  EvaluatorSubject s;
  s.name = "scripted";
  s.expectedDerivations = {"hello", "pkgs.tool"};
  s.expectedErrors = {"broken"};
  s.request = [] {
    static const std::filesystem::path dir = [] {
      auto d = std::filesystem::temp_directory_path() / ("ekaci-scripted-" + std::to_string(::getpid()));
      std::filesystem::create_directories(d);
      std::ofstream(d / "jobs.txt") << "# attr drv system outputs\n"
                                       "hello /nix/store/1111-hello.drv x86_64-linux out=/nix/store/2222-hello\n"
                                       "broken !attribute 'src' missing\n"
                                       "pkgs.tool /nix/store/3333-tool.drv x86_64-linux out=/nix/store/4444-tool "
                                       "dev=/nix/store/5555-tool-dev\n";
      return d;
    }();
    EvalRequest r;
    r.checkoutDirectory = dir.string();
    r.file = "jobs.txt";
    return r;
  };
  s.make = [](FakeHostServices& services) -> Result<std::unique_ptr<Evaluator>> {
    return host().registry().evaluator("scripted")->create(Value::table(), services);
  };
  return s;
}

}  // namespace
}  // namespace ekaci::sdk::testing

namespace ekaci::sdk::testing {
namespace {
std::string hmac(const std::string& secret, const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  std::string hex = "sha256=";
  for (unsigned i = 0; i < length; ++i) {
    static constexpr char kHex[] = "0123456789abcdef";
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}
}  // namespace

EKACI_CREDENTIAL_SOURCE_CONFORMANCE(ReferenceStatic, staticSubject());
EKACI_CACHE_CONFORMANCE(ReferenceMemory, memorySubject());
EKACI_FORGE_CONFORMANCE(ReferenceRecording, recordingSubject());
EKACI_EVALUATOR_CONFORMANCE(ReferenceScripted, scriptedSubject());

TEST(ReferencePluginsTest, EveryKindIsRegisteredFromItsOwnLibrary) {
  const auto& registry = host().registry();
  ASSERT_NE(registry.find(PluginKind::Cache, "memory"), nullptr);
  EXPECT_NE(registry.find(PluginKind::Cache, "memory")->file.find("memory_cache"), std::string::npos);
  EXPECT_NE(registry.find(PluginKind::Forge, "recording"), nullptr);
  EXPECT_NE(registry.find(PluginKind::Evaluator, "scripted"), nullptr);
  EXPECT_NE(registry.find(PluginKind::CredentialSource, "static"), nullptr);
  EXPECT_EQ(host().loaded().size(), 4u);
}

TEST(ReferencePluginsTest, RecordingForgeWritesWhatItWasAsked) {
  FakeHostServices services;
  Value config = Value::table();
  config.set("webhook_secret", Value::string("k"));
  auto forge = host().registry().forge("recording")->create(config, services);
  ASSERT_TRUE(forge);
  RepositoryRef repo{"", "acme", "pkgs", "", "main", "", ""};
  StatusReport report;
  report.name = "eka-ci/eval";
  report.state = CommitState::Failure;
  ASSERT_NE((*forge)->reports(), nullptr);
  ASSERT_TRUE((*forge)->reports()->publish(repo, "abc", report, ""));
  std::ifstream log(services.stateDirectory() / "recording.log");
  std::string line;
  std::getline(log, line);
  EXPECT_EQ(line, "report acme/pkgs abc eka-ci/eval failure");
}

// Clone credentials cross the boundary as a Secret: printed, they are redacted.
TEST(ReferencePluginsTest, CloneCredentialsAreASecret) {
  FakeHostServices services;
  Value config = Value::table();
  config.set("webhook_secret", Value::string("k"));
  auto forge = host().registry().forge("recording")->create(config, services);
  ASSERT_TRUE(forge);
  ASSERT_NE((*forge)->installations(), nullptr);
  auto credentials = (*forge)->installations()->cloneCredentials(RepositoryRef{"", "acme", "pkgs", "", "main", "", ""});
  ASSERT_TRUE(credentials) << credentials.error().describe();
  EXPECT_EQ(credentials->password.reveal(), "recording-token");
  std::ostringstream printed;
  printed << credentials->password;
  EXPECT_EQ(printed.str(), "<redacted>");
}

}  // namespace ekaci::sdk::testing
