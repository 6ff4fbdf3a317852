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
  EXPECT_TRUE(config->githubApps.empty());
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

TEST(ConfigLoaderTest, UnknownCredentialTagSuggestsTheSource) {
  std::string error = errorOf("[[github_apps]]\nid = \"a\"\ncredentials = { fiel = { path = \"/x\" } }\n");
  EXPECT_NE(error.find("E2006"), std::string::npos) << error;
  EXPECT_NE(error.find("unknown credential source 'fiel' (did you mean 'file'?)"), std::string::npos) << error;
  EXPECT_NE(error.find("ekaci.toml:3:"), std::string::npos) << error;
}

TEST(ConfigLoaderTest, CredentialBlocksAreCheckedForShape) {
  // The settings inside a source are its plugin's (PluginRequirementsTest checks them).
  std::string bare = errorOf("[[github_apps]]\nid = \"a\"\ncredentials = \"vault\"\n");
  EXPECT_NE(bare.find("needs settings"), std::string::npos) << bare;
  std::string two =
      errorOf("[[github_apps]]\nid = \"a\"\ncredentials = { env = { vars = [] }, file = { path = \"/x\" } }\n");
  EXPECT_NE(two.find("exactly one source"), std::string::npos) << two;
  std::string notTable = errorOf("[[github_apps]]\nid = \"a\"\ncredentials = { vault = \"x\" }\n");
  EXPECT_NE(notTable.find("expected a table of settings"), std::string::npos) << notTable;
}

TEST(ConfigLoaderTest, PluginCredentialSourcesAreAcceptedWhenAllowed) {
  const std::string text = "[[github_apps]]\nid = \"a\"\ncredentials = { acme-keystore = { slot = 3 } }\n";
  EXPECT_FALSE(load(text));
  ConfigLoader loader(baseEnvironment());
  loader.allowCredentialSources({"acme-keystore"});
  auto config = loader.loadText(text, "ekaci.toml");
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->githubApps.front().credentials.keys().front(), "acme-keystore");
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

TEST(ConfigLoaderTest, GiteaAndGitlabInstancesTakeTheManualsKeysAndOurs) {
  auto config = load(
      "[[gitea_instances]]\ndomain = \"git.example.org\"\ntoken = \"plain\"\napi_url = "
      "\"http://127.0.0.1:3000/api/v1\"\n"
      "[[gitea_instances]]\ndomain = \"code.example.net\"\ncredentials = { env = { vars = [\"GITEA_TOKEN\"] } }\n"
      "webhook_secret = \"own\"\n"
      "[[gitlab_instances]]\ndomain = \"gitlab.com\"\ntoken_type = \"oauth\"\n");
  ASSERT_TRUE(config) << config.error().describe();
  ASSERT_EQ(config->giteaInstances.size(), 2u);
  EXPECT_EQ(config->giteaInstances[0].token->reveal(), "plain");
  EXPECT_EQ(config->giteaInstances[0].apiUrl, "http://127.0.0.1:3000/api/v1");
  EXPECT_FALSE(config->giteaInstances[1].token);
  EXPECT_TRUE(config->giteaInstances[1].credentials.isTable());
  EXPECT_EQ(config->giteaInstances[1].webhookSecret->reveal(), "own");
  ASSERT_EQ(config->gitlabInstances.size(), 1u);
  EXPECT_EQ(config->gitlabInstances[0].tokenType, "oauth");
  EXPECT_NE(errorOf("[[gitlab_instances]]\ndomain = \"g\"\ntoken_type = \"bearer\"\n").find("token_type"),
            std::string::npos);
  EXPECT_NE(errorOf("[[gitea_instances]]\ntoken = \"x\"\n").find("domain"), std::string::npos);
}

TEST(ConfigLoaderTest, TheEnvironmentConfiguresOneGiteaAndOneGitlab) {
  Environment env = baseEnvironment();
  env.set("GITEA_TOKEN", "gt");
  env.set("GITEA_DOMAIN", "git.example.org");
  env.set("GITLAB_TOKEN", "glpat-x");
  auto config = load("", env);
  ASSERT_TRUE(config) << config.error().describe();
  ASSERT_EQ(config->giteaInstances.size(), 1u);
  EXPECT_EQ(config->giteaInstances[0].domain, "git.example.org");
  EXPECT_EQ(config->giteaInstances[0].token->reveal(), "gt");
  EXPECT_TRUE(config->gitlabInstances.empty()) << "a token without a domain configures nothing";
  // One configured instance without a token takes it from the environment.
  auto one = load("[[gitlab_instances]]\ndomain = \"gitlab.com\"\n", env);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->gitlabInstances.at(0).token->reveal(), "glpat-x");
}

}  // namespace ekaci::config
