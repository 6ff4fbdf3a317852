// aws-secrets-manager and instance-metadata against one local server that answers as AWS
// documents: the EC2 instance metadata service (IMDSv2: a session token first) and Secrets
// Manager's GetSecretValue (JSON 1.1), whose requests must carry a valid SigV4 signature.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdlib>

#include "ekaci/sdk/testing/CredentialSourceConformance.h"
#include "kernel/plugin_host/PluginHost.h"
#include "plugins/credentials/credkit/AwsSigV4.h"
#include "tests/support/LiveHostServices.h"
#include "tests/support/LocalHttpServer.h"

namespace ekaci::plugins::credentials {
namespace {

using testsupport::LocalHttpServer;

constexpr const char* kServerKeyId = "AKIASERVERIDENTITY01";
constexpr const char* kServerSecret = "server/identity+secret-key";
constexpr const char* kRoleKeyId = "ASIAROLEKEY000000001";
constexpr const char* kRoleSecret = "role/secret+key";
constexpr const char* kRoleToken = "IQoJb3JpZ2luX2VjEJr-role-session-token";

std::string header(const LocalHttpServer::Request& r, const std::string& name) {
  return r.headers.count(name) != 0 ? r.headers.at(name) : "";
}

LocalHttpServer::Answer awsError(const std::string& type, const std::string& message) {
  return {400, R"({"__type":")" + type + R"(","message":")" + message + R"("})", {}};
}

// Recomputes the signature from what arrived, with the secret of the key id it names.
bool validSignature(const LocalHttpServer::Request& r, const std::string& host) {
  const std::string auth = header(r, "authorization");
  const auto credential = auth.find("Credential="), slash = auth.find('/', credential);
  if (credential == std::string::npos || slash == std::string::npos) return false;
  const std::string keyId = auth.substr(credential + 11, slash - credential - 11);
  const std::string secret = keyId == kServerKeyId ? kServerSecret : keyId == kRoleKeyId ? kRoleSecret : "";
  if (secret.empty()) return false;
  if (keyId == kRoleKeyId && header(r, "x-amz-security-token") != kRoleToken) return false;
  AwsSigV4::Request signing;
  signing.method = r.method;
  signing.path = "/";
  signing.payload = r.body;
  signing.headers = {{"content-type", header(r, "content-type")},
                     {"host", host},
                     {"x-amz-date", header(r, "x-amz-date")},
                     {"x-amz-target", header(r, "x-amz-target")}};
  if (!header(r, "x-amz-security-token").empty()) {
    signing.headers.emplace_back("x-amz-security-token", header(r, "x-amz-security-token"));
  }
  return AwsSigV4::authorization(signing, {keyId, secret, "eu-west-1", "secretsmanager"}, header(r, "x-amz-date")) ==
         auth;
}

LocalHttpServer& aws();

LocalHttpServer::Answer answer(const LocalHttpServer::Request& r) {
  // The instance metadata service (IMDSv2).
  if (r.target == "/latest/api/token") {
    if (r.method != "PUT" || header(r, "x-aws-ec2-metadata-token-ttl-seconds").empty()) return {400, "", {}};
    return {200, "imds-session-token-1", {}};
  }
  if (r.target.rfind("/latest/meta-data/", 0) == 0) {
    if (header(r, "x-aws-ec2-metadata-token") != "imds-session-token-1") return {401, "", {}};
    if (r.target == "/latest/meta-data/iam/security-credentials/") return {200, "ekaci-role\n", {}};
    if (r.target == "/latest/meta-data/iam/security-credentials/ekaci-role") {
      return {200,
              std::string(R"({"Code":"Success","LastUpdated":"2026-12-04T20:00:00Z","Type":"AWS-HMAC",)") +
                  R"("AccessKeyId":")" + kRoleKeyId + R"(","SecretAccessKey":")" + kRoleSecret + R"(","Token":")" +
                  kRoleToken + R"(","Expiration":"2999-01-01T00:00:00Z"})",
              {}};
    }
    return {404, "", {}};
  }
  // Secrets Manager.
  if (r.method != "POST" || r.target != "/") return {404, "", {}};
  if (header(r, "x-amz-target") != "secretsmanager.GetSecretValue" ||
      header(r, "content-type") != "application/x-amz-json-1.1") {
    return awsError("UnknownOperationException", "");
  }
  if (!validSignature(r, "127.0.0.1:" + std::to_string(aws().port()))) {
    return awsError("InvalidSignatureException", "The request signature we calculated does not match");
  }
  Poco::JSON::Parser parser;
  const std::string id = parser.parse(r.body).extract<Poco::JSON::Object::Ptr>()->optValue<std::string>("SecretId", "");
  if (id == "eka-ci/s3-cache-credentials") {
    return {200,
            R"({"ARN":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:eka-ci/s3-cache-credentials-a1b2c3",)"
            R"("Name":"eka-ci/s3-cache-credentials","VersionId":"v1","VersionStages":["AWSCURRENT"],)"
            R"("CreatedDate":1.7e9,"SecretString":"{\"AWS_ACCESS_KEY_ID\":\"AKIAFROMSECRET01\",)"
            R"(\"AWS_SECRET_ACCESS_KEY\":\"from/secrets+manager\"}"})",
            {}};
  }
  if (id == "eka-ci/denied") {
    return awsError("AccessDeniedException", "User is not authorized to perform: secretsmanager:GetSecretValue");
  }
  return awsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
}

LocalHttpServer& aws() {
  static LocalHttpServer* server = new LocalHttpServer(answer);
  return *server;
}

testsupport::LiveHostServices& liveHost() {
  static testsupport::LiveHostServices* host = new testsupport::LiveHostServices;
  return *host;
}

const sdk::CredentialSourceFactory& factory(const std::string& type) {
  static plugin_host::PluginHost* host = [] {
    auto* h = new plugin_host::PluginHost;
    EXPECT_TRUE(h->loadPath(EKACI_BUNDLED_PLUGIN_DIR, false));
    return h;
  }();
  return *host->registry().credentialSource(type);
}

sdk::Result<std::unique_ptr<sdk::CredentialSource>> secretsManager(const std::string& name) {
  sdk::Value config = sdk::Value::table();
  config.set("secret_name", sdk::Value::string(name));
  config.set("region", sdk::Value::string("eu-west-1"));
  config.set("endpoint", sdk::Value::string(aws().url()));
  return factory("aws-secrets-manager").create(config, liveHost());
}

sdk::Result<std::unique_ptr<sdk::CredentialSource>> metadata(const std::string& endpoint) {
  sdk::Value config = sdk::Value::table();
  config.set("endpoint", sdk::Value::string(endpoint));
  return factory("instance-metadata").create(config, liveHost());
}

void useServerIdentity() {
  ::setenv("AWS_ACCESS_KEY_ID", kServerKeyId, 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", kServerSecret, 1);
  ::unsetenv("AWS_SESSION_TOKEN");
}

sdk::testing::CredentialSourceSubject secretsManagerSubject() {
  useServerIdentity();
  sdk::testing::CredentialSourceSubject s;
  s.name = "aws_secrets_manager";
  s.expected = {{"AWS_ACCESS_KEY_ID", "AKIAFROMSECRET01"}, {"AWS_SECRET_ACCESS_KEY", "from/secrets+manager"}};
  s.makeWorking = [](sdk::HostServices&) { return secretsManager("eka-ci/s3-cache-credentials"); };
  s.makeMissing = [](sdk::HostServices&) { return secretsManager("eka-ci/never-created"); };
  return s;
}

sdk::testing::CredentialSourceSubject instanceMetadataSubject() {
  sdk::testing::CredentialSourceSubject s;
  s.name = "instance_metadata";
  s.expected = {
      {"AWS_ACCESS_KEY_ID", kRoleKeyId}, {"AWS_SECRET_ACCESS_KEY", kRoleSecret}, {"AWS_SESSION_TOKEN", kRoleToken}};
  s.makeWorking = [](sdk::HostServices&) { return metadata(aws().url()); };
  s.makeMissing = [](sdk::HostServices&) { return metadata(aws().url() + "/nothing-here"); };
  return s;
}

}  // namespace

EKACI_CREDENTIAL_SOURCE_CONFORMANCE(AwsSecretsManager, secretsManagerSubject());
EKACI_CREDENTIAL_SOURCE_CONFORMANCE(InstanceMetadata, instanceMetadataSubject());

TEST(SecretsManagerSourceTest, DeniedMissingAndBadlySignedAreNamed) {
  useServerIdentity();
  auto denied = (*secretsManager("eka-ci/denied"))->fetch();
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code(), sdk::ErrorCode::SecretSourceUnavailable);
  EXPECT_NE(denied.error().message().find("AccessDeniedException"), std::string::npos) << denied.error().message();
  auto missing = (*secretsManager("eka-ci/none"))->fetch();
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), sdk::ErrorCode::SecretNotFound);
  ::setenv("AWS_SECRET_ACCESS_KEY", "not-the-right-secret", 1);
  auto forged = (*secretsManager("eka-ci/s3-cache-credentials"))->fetch();
  useServerIdentity();
  ASSERT_FALSE(forged);
  EXPECT_NE(forged.error().message().find("InvalidSignatureException"), std::string::npos);
  EXPECT_EQ(forged.error().message().find("not-the-right-secret"), std::string::npos);
}

TEST(SecretsManagerSourceTest, WithoutKeysInTheEnvironmentTheInstanceRoleSigns) {
  ::unsetenv("AWS_ACCESS_KEY_ID");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  auto make = [](const std::string& metadataEndpoint) {
    sdk::Value config = sdk::Value::table();
    config.set("secret_name", sdk::Value::string("eka-ci/s3-cache-credentials"));
    config.set("region", sdk::Value::string("eu-west-1"));
    config.set("endpoint", sdk::Value::string(aws().url()));
    config.set("metadata_endpoint", sdk::Value::string(metadataEndpoint));
    return factory("aws-secrets-manager").create(config, liveHost());
  };
  // The local server is also the metadata service: it accepts only the role's key and session
  // token (validSignature), so a success means the role signed.
  auto viaRole = make(aws().url());
  ASSERT_TRUE(viaRole);
  auto fetched = (*viaRole)->fetch();
  auto noRole = make("http://127.0.0.1:1");
  ASSERT_TRUE(noRole);
  auto unreachable = (*noRole)->fetch();
  useServerIdentity();
  ASSERT_TRUE(fetched) << fetched.error().describe();
  EXPECT_EQ(fetched->find("AWS_ACCESS_KEY_ID")->reveal(), "AKIAFROMSECRET01");
  ASSERT_FALSE(unreachable);
  EXPECT_NE(unreachable.error().message().find("no AWS identity"), std::string::npos) << unreachable.error().message();
}

TEST(InstanceMetadataSourceTest, OnlyTheTokenFlowIsUsedAndOtherCloudsAreRefused) {
  auto source = metadata(aws().url());
  ASSERT_TRUE(source);
  const auto before = aws().requests().size();
  ASSERT_TRUE((*source)->fetch());
  ASSERT_TRUE((*source)->fetch());
  const auto requests = aws().requests();
  ASSERT_EQ(requests.size(), before + 3) << "token, role, credentials once; then kept until their expiration";
  EXPECT_EQ(requests[before].method, "PUT");
  for (std::size_t i = before + 1; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].headers.at("x-aws-ec2-metadata-token"), "imds-session-token-1");
  }
  sdk::Value gcp = sdk::Value::table();
  gcp.set("provider", sdk::Value::string("gcp"));
  EXPECT_FALSE(factory("instance-metadata").create(gcp, liveHost()));
  auto unreachable = (*metadata("http://127.0.0.1:1"))->fetch();
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().code(), sdk::ErrorCode::SecretSourceUnavailable);
}

}  // namespace ekaci::plugins::credentials
