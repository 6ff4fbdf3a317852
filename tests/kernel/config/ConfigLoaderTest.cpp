#include "kernel/config/ConfigLoader.h"

#include <gtest/gtest.h>

#include "tests/support/TempDir.h"

namespace ekaci::config {
namespace {

Environment baseEnvironment() {
  return Environment({{"HOME", "/home/ci"}, {"XDG_DATA_HOME", "/data"}, {"XDG_RUNTIME_DIR", "/run/user/7"}});
}

sdk::Result<ServerConfig> load(const std::string& text, Environment env = baseEnvironment()) {
  return ConfigLoader(std::move(env)).loadText(text, "ekaci.toml");
}

std::string errorOf(const std::string& text, Environment env = baseEnvironment()) {
  auto result = load(text, std::move(env));
  EXPECT_FALSE(result) << "expected a rejection of:\n" << text;
  return result ? std::string() : result.error().message();
}

}  // namespace

TEST(ConfigLoaderTest, EmptyFileGivesDocumentedDefaults) {
  auto config = load("");
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->web.address, "127.0.0.1");
  EXPECT_EQ(config->web.port, 3030);
  EXPECT_EQ(config->dbPath, "/data/ekaci/sqlite.db");
  EXPECT_EQ(config->logsDir, "/data/ekaci/build-logs");
  EXPECT_EQ(config->socketPath, "/run/user/7/ekaci.sock");
  EXPECT_EQ(config->buildNoOutputTimeoutSeconds, 1200);
  EXPECT_EQ(config->buildMaxDurationSeconds, 14400);
  EXPECT_EQ(config->graphLruCapacity, 100000);
  EXPECT_FALSE(config->requireApproval);
  EXPECT_FALSE(config->mergeQueueRequireApproval);
  EXPECT_EQ(config->defaultMergeMethod, "squash");
  EXPECT_EQ(config->security.maxHookTimeoutSeconds, 300);
  EXPECT_TRUE(config->security.auditHooks);
  EXPECT_FALSE(config->security.allowInsecureWebhooks);
  EXPECT_FALSE(config->security.allowPrivateCacheHosts);
  EXPECT_EQ(config->rebuild.maxRebuildCount, 20000);
  EXPECT_TRUE(config->forges.empty());
  EXPECT_EQ(config->oauth.redirectUrl, "http://127.0.0.1:3030/github/auth/callback");
}

TEST(ConfigLoaderTest, DataHomeFallsBackToHome) {
  auto config = load("", Environment({{"HOME", "/home/ci"}}));
  ASSERT_TRUE(config);
  EXPECT_EQ(config->dbPath, "/home/ci/.local/share/ekaci/sqlite.db");
  EXPECT_EQ(config->socketPath, "/home/ci/.local/share/ekaci/ekaci.sock") << "no XDG_RUNTIME_DIR: socket in state dir";
}

TEST(ConfigLoaderTest, SocketPathFromEitherSpelling) {
  EXPECT_EQ(load("socket_path = \"/tmp/a.sock\"\n")->socketPath, "/tmp/a.sock");
  EXPECT_EQ(load("[unix]\nsocket_path = \"/tmp/b.sock\"\n")->socketPath, "/tmp/b.sock");
}

TEST(ConfigLoaderTest, EnvironmentOverridesTheFile) {
  Environment env = baseEnvironment();
  env.set("EKA_CI_GRAPH_LRU_CAPACITY", "250000");
  env.set("EKA_CI_REQUIRE_APPROVAL", "yes");
  env.set("GITHUB_WEBHOOK_SECRET", "from-env");
  auto config = load("graph_lru_capacity = 5\nrequire_approval = false\n", env);
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->graphLruCapacity, 250000);
  EXPECT_TRUE(config->requireApproval);
  ASSERT_TRUE(config->security.webhookSecret.has_value());
  EXPECT_EQ(config->security.webhookSecret->reveal(), "from-env");
}

TEST(ConfigLoaderTest, BadEnvironmentValueNamesTheVariable) {
  Environment env = baseEnvironment();
  env.set("EKA_CI_GRAPH_LRU_CAPACITY", "lots");
  std::string error = errorOf("", env);
  EXPECT_NE(error.find("environment variable EKA_CI_GRAPH_LRU_CAPACITY"), std::string::npos) << error;
  EXPECT_NE(error.find("expected an integer"), std::string::npos) << error;
}

TEST(ConfigLoaderTest, UnknownKeyGivesFileLineKeyAndSuggestion) {
  std::string error = errorOf("[web]\nport = 1\nadress = \"0.0.0.0\"\n");
  EXPECT_NE(error.find("ekaci.toml:3:1"), std::string::npos) << error;
  EXPECT_NE(error.find("E2001"), std::string::npos) << error;
  EXPECT_NE(error.find("[web.adress]"), std::string::npos) << error;
  EXPECT_NE(error.find("did you mean 'address'?"), std::string::npos) << error;
}

TEST(ConfigLoaderTest, TopLevelTypoSuggestsTheSetting) {
  std::string error = errorOf("build_no_ouptut_timeout_seconds = 60\n");
  EXPECT_NE(error.find("did you mean 'build_no_output_timeout_seconds'?"), std::string::npos) << error;
}

TEST(ConfigLoaderTest, WrongTypeAndRangeAreReported) {
  std::string error = errorOf("[web]\nport = \"3030\"\n[security]\nmax_hook_timeout_seconds = 0\n");
  EXPECT_NE(error.find("ekaci.toml:2:1: error E2002 [web.port]: expected an integer, found string \"3030\""),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("E2004 [security.max_hook_timeout_seconds]: 0 is outside the allowed range 1..86400"),
            std::string::npos)
      << error;
}

TEST(ConfigLoaderTest, EveryProblemIsReportedAtOnce) {
  auto result = load("bogus = 1\n[web]\nport = 70000\n[[caches]]\nid = \"x\"\n");
  ASSERT_FALSE(result);
  const std::string& text = result.error().message();
  EXPECT_NE(text.find("[bogus]"), std::string::npos) << text;
  EXPECT_NE(text.find("[web.port]"), std::string::npos) << text;
  EXPECT_NE(text.find("[caches[0].cache_type]: required key"), std::string::npos) << text;
  // destination is the cache plugin's setting: PluginRequirements checks it (see its tests).
}

TEST(ConfigLoaderTest, EnumValuesAreChecked) {
  std::string error = errorOf("default_merge_method = \"sqash\"\n");
  EXPECT_NE(error.find("'sqash' is not one of 'merge', 'squash', 'rebase' (did you mean 'squash'?)"), std::string::npos)
      << error;
}

TEST(ConfigLoaderTest, GithubAppsAreOneGithubInstanceWithTheBlocksAsWritten) {
  // The kernel does not read a forge's settings: credential blocks, unknown keys and all
  // are the github plugin's to check (PluginRequirementsTest).
  auto config = load(
      "[[github_apps]]\nid = \"a\"\ncredentials = { acme-keystore = { slot = 3 } }\n"
      "[[github_apps]]\nid = \"b\"\napi_url = \"https://ghe.example.org/api/v3\"\nextra = 1\n");
  ASSERT_TRUE(config) << config.error().describe();
  ASSERT_EQ(config->forges.size(), 1u);
  const auto& github = config->forges[0];
  EXPECT_EQ(github.id, "github");
  EXPECT_EQ(github.type, "github");
  EXPECT_EQ(github.origin, "github_apps");
  EXPECT_EQ(github.gathered, "apps");
  const sdk::Value* apps = github.settings.find("apps");
  ASSERT_NE(apps, nullptr);
  ASSERT_EQ(apps->items().size(), 2u);
  EXPECT_EQ(apps->items()[0].findPath("credentials.acme-keystore.slot")->asInteger(), 3);
  EXPECT_EQ(apps->items()[1].find("api_url")->asString(), "https://ghe.example.org/api/v3");
  EXPECT_EQ(apps->items()[1].find("extra")->asInteger(), 1);
  EXPECT_EQ(apps->items()[1].location().line, 4);
}

TEST(ConfigLoaderTest, TheEnvironmentAloneConfiguresTheDefaultGithubApp) {
  Environment env = baseEnvironment();
  env.set("GITHUB_APP_ID", "1");
  env.set("GITHUB_APP_PRIVATE_KEY", "k");
  env.set("GITHUB_API_URL", "http://127.0.0.1:9/api");
  auto config = load("", env);
  ASSERT_TRUE(config) << config.error().describe();
  ASSERT_EQ(config->forges.size(), 1u);
  const sdk::Value& app = config->forges[0].settings.find("apps")->items().at(0);
  EXPECT_EQ(app.find("id")->asString(), "default");
  EXPECT_EQ(app.find("api_url")->asString(), "http://127.0.0.1:9/api");
  EXPECT_EQ(app.find("credentials"), nullptr) << "the plugin's default: the same two variables";
  env.set("GITHUB_APP_PRIVATE_KEY", "");
  auto half = load("", env);
  ASSERT_TRUE(half);
  EXPECT_TRUE(half->forges.empty()) << "an id without a key configures nothing";
}

TEST(ConfigLoaderTest, ForgeInstanceIdsAreUniqueAcrossTheirSpellings) {
  std::string error =
      errorOf("[[forges]]\nid = \"gitea\"\ntype = \"gitea\"\n[[gitea_instances]]\ndomain = \"git.example.org\"\n");
  EXPECT_NE(error.find("forge instance id 'gitea' is used twice"), std::string::npos) << error;
  EXPECT_NE(error.find("E2008"), std::string::npos) << error;
}

TEST(ConfigLoaderTest, DuplicateIdsAreRejected) {
  std::string error = errorOf(
      "[[caches]]\nid = \"c\"\ncache_type = \"attic\"\ndestination = \"a\"\n"
      "[[caches]]\nid = \"c\"\ncache_type = \"cachix\"\ndestination = \"b\"\n");
  EXPECT_NE(error.find("E2008 [caches[1].id]: id 'c' is used by another [[caches]] block"), std::string::npos) << error;
}

TEST(ConfigLoaderTest, SyntaxErrorGivesLineAndColumn) {
  std::string error = errorOf("[web]\nport = = 3\n");
  EXPECT_NE(error.find("ekaci.toml:2:"), std::string::npos) << error;
}

TEST(ConfigLoaderTest, MissingExplicitFileIsAnError) {
  auto result = ConfigLoader(baseEnvironment()).load(std::filesystem::path("/nonexistent/ekaci.toml"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), sdk::ErrorCode::ConfigFileNotFound);
  EXPECT_NE(result.error().message().find("/nonexistent/ekaci.toml"), std::string::npos);
}

TEST(ConfigLoaderTest, MissingDefaultFileMeansDefaults) {
  testsupport::TempDir dir;
  Environment env({{"XDG_CONFIG_HOME", dir.path().string()}, {"HOME", "/h"}});
  auto config = ConfigLoader(env).load(std::nullopt);
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_TRUE(config->sourceFile.empty());
}

TEST(ConfigLoaderTest, DefaultFileIsFoundUnderXdgConfigHome) {
  testsupport::TempDir dir;
  dir.write("ekaci/ekaci.toml", "[web]\nport = 4040\n");
  Environment env({{"XDG_CONFIG_HOME", dir.path().string()}, {"HOME", "/h"}});
  auto config = ConfigLoader(env).load(std::nullopt);
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->web.port, 4040);
  EXPECT_EQ(config->sourceFile, dir.path() / "ekaci" / "ekaci.toml");
}

TEST(ConfigLoaderTest, TopLevelKeysWrittenInsideASectionAreHoistedWithAWarning) {
  auto config = load("[web]\nport = 3030\ndb_path = \"/var/lib/ekaci/sqlite.db\"\n");
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->dbPath, "/var/lib/ekaci/sqlite.db");
  ASSERT_EQ(config->warnings.size(), 1u);
  EXPECT_NE(config->warnings[0].find("ekaci.toml:3:1: 'db_path' is written inside [web]"), std::string::npos)
      << config->warnings[0];
}

TEST(ConfigLoaderTest, GenericForgeBlocksKeepTheirPluginSettings) {
  auto config = load("[[forges]]\nid = \"gh\"\ntype = \"github\"\napp_id = 12\n");
  ASSERT_TRUE(config) << config.error().describe();
  ASSERT_EQ(config->forges.size(), 1u);
  EXPECT_EQ(config->forges[0].type, "github");
  EXPECT_EQ(config->forges[0].settings.keys(), std::vector<std::string>{"app_id"});
}

TEST(ConfigLoaderTest, SecretsNeverAppearInErrors) {
  std::string error = errorOf("[oauth]\nclient_secret = 12345\n");
  EXPECT_NE(error.find("[oauth.client_secret]"), std::string::npos) << error;
  EXPECT_EQ(error.find("12345"), std::string::npos) << "a secret value must not be echoed: " << error;
}

TEST(ConfigLoaderTest, SocketPathForReadsOnlyTheSocketKeys) {
  testsupport::TempDir dir;
  auto file = dir.write("ekaci.toml", "socket_path = \"/tmp/x.sock\"\nunknown_key = 1\n");
  EXPECT_EQ(ConfigLoader(baseEnvironment()).socketPathFor(file), "/tmp/x.sock");
  EXPECT_EQ(ConfigLoader(baseEnvironment()).socketPathFor(dir.path() / "none.toml"), "/run/user/7/ekaci.sock");
}

}  // namespace ekaci::config

namespace ekaci::config {

// Found by fuzzing: `db_path = ""` was accepted, and SQLite opens "" as a temporary database
// that is deleted when closed — every result would have been lost at shutdown.
TEST(ConfigLoaderTest, EmptyPathsAreRefusedWithTheKey) {
  for (const char* key : {"db_path", "logs_dir", "socket_path", "state_dir"}) {
    const std::string error = errorOf(std::string("#tt\n") + key + "  = \"\"\n");
    EXPECT_NE(error.find(std::string("ekaci.toml:2:")), std::string::npos) << error;
    EXPECT_NE(error.find(key), std::string::npos) << error;
    EXPECT_NE(error.find("must not be empty"), std::string::npos) << error;
  }
  EXPECT_NE(errorOf("[builders]\nmachines_file = \"\"\n").find("builders.machines_file"), std::string::npos);
  EXPECT_TRUE(load("db_path = \"/var/lib/ekaci/db.sqlite\"\n"));
}

}  // namespace ekaci::config

namespace ekaci::config {

TEST(ConfigLoaderTest, GiteaAndGitlabInstancesAreForgeInstancesNamedByDomain) {
  auto config = load(
      "[[gitea_instances]]\ndomain = \"git.example.org\"\ntoken = \"plain\"\napi_url = "
      "\"http://127.0.0.1:3000/api/v1\"\n"
      "[[gitea_instances]]\ndomain = \"code.example.net\"\ncredentials = { env = { vars = [\"GITEA_TOKEN\"] } }\n"
      "webhook_secret = \"own\"\n"
      "[[gitlab_instances]]\ndomain = \"gitlab.com\"\ntoken_type = \"oauth\"\n");
  ASSERT_TRUE(config) << config.error().describe();
  ASSERT_EQ(config->forges.size(), 3u);
  EXPECT_EQ(config->forges[0].id, "gitea");
  EXPECT_EQ(config->forges[0].type, "gitea");
  EXPECT_EQ(config->forges[0].origin, "gitea_instances[0]");
  EXPECT_EQ(config->forges[0].settings.find("token")->asString(), "plain");
  EXPECT_EQ(config->forges[0].settings.find("api_url")->asString(), "http://127.0.0.1:3000/api/v1");
  EXPECT_EQ(config->forges[1].id, "code.example.net");
  EXPECT_EQ(config->forges[1].settings.find("token"), nullptr);
  EXPECT_TRUE(config->forges[1].settings.find("credentials")->isTable());
  EXPECT_EQ(config->forges[1].settings.find("webhook_secret")->asString(), "own");
  EXPECT_EQ(config->forges[2].id, "gitlab");
  EXPECT_EQ(config->forges[2].settings.find("token_type")->asString(), "oauth");
  std::string nameless = errorOf("[[gitea_instances]]\ndomain = \"a\"\n[[gitea_instances]]\ntoken = \"x\"\n");
  EXPECT_NE(nameless.find("gitea_instances[1].domain"), std::string::npos) << nameless;
}

TEST(ConfigLoaderTest, TheEnvironmentConfiguresOneGiteaAndOneGitlab) {
  Environment env = baseEnvironment();
  env.set("GITEA_TOKEN", "gt");
  env.set("GITEA_DOMAIN", "git.example.org");
  env.set("GITLAB_TOKEN", "glpat-x");
  auto config = load("", env);
  ASSERT_TRUE(config) << config.error().describe();
  ASSERT_EQ(config->forges.size(), 1u) << "a token without a domain configures nothing";
  EXPECT_EQ(config->forges[0].type, "gitea");
  EXPECT_EQ(config->forges[0].settings.find("domain")->asString(), "git.example.org");
  EXPECT_EQ(config->forges[0].settings.find("token")->asString(), "gt");
  // One configured instance without a token takes it from the environment; two do not.
  env.set("GITEA_DOMAIN", "");
  auto one = load("[[gitlab_instances]]\ndomain = \"gitlab.com\"\n", env);
  ASSERT_TRUE(one);
  ASSERT_EQ(one->forges.size(), 1u);
  EXPECT_EQ(one->forges.at(0).settings.find("token")->asString(), "glpat-x");
  auto withCredentials =
      load("[[gitlab_instances]]\ndomain = \"gitlab.com\"\ncredentials = { env = { vars = [\"X\"] } }\n", env);
  ASSERT_TRUE(withCredentials);
  EXPECT_EQ(withCredentials->forges.at(0).settings.find("token"), nullptr);
  auto two = load("[[gitlab_instances]]\ndomain = \"a.org\"\n[[gitlab_instances]]\ndomain = \"b.org\"\n", env);
  ASSERT_TRUE(two);
  EXPECT_EQ(two->forges.at(0).settings.find("token"), nullptr);
}

}  // namespace ekaci::config
