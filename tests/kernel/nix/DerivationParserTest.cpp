#include "kernel/nix/DerivationParser.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "kernel/services/PosixProcessRunner.h"
#include "tests/support/NixInstantiate.h"
#include "tests/support/TempDir.h"

namespace ekaci::nix {
namespace {

const char* kSample =
    R"(Derive([("out","/nix/store/s18z-b","","")],[("/nix/store/iv79-a.drv",["out"])],["/nix/store/src-x"],)"
    R"("x86_64-linux","/bin/sh",["-c","echo \"b\" > $out\\n"],[("builder","/bin/sh"),("name","b"),)"
    R"(("out","/nix/store/s18z-b"),("requiredSystemFeatures","kvm big-parallel"),("preferLocalBuild","1")]))";

// Derivations created by real Nix with awkward contents: quotes, backslashes, newlines,
// tabs, unicode, structured attributes, fixed outputs, several outputs.
std::vector<std::string> instantiateFixtures(const testsupport::TempDir& dir) {
  dir.write("fixtures.nix", R"NIX(
let
  sys = builtins.currentSystem;
  base = { system = sys; builder = "/bin/sh"; };
in {
  plain = derivation (base // { name = "plain"; args = [ "-c" "echo hi > $out" ]; });
  awkward = derivation (base // { name = "awkward"; args = [ "-c" "echo \"quoted\" \\ back\tslash\nnext line ünïcødé > $out" ];
    weird = "a\"b\\c\nd\te\r"; empty = ""; });
  structured = derivation (base // { name = "structured"; __structuredAttrs = true;
    requiredSystemFeatures = [ "kvm" "big-parallel" ]; preferLocalBuild = true; nested = { a = [ 1 2 ]; }; args = [ "-c" "true" ]; });
  fixed = derivation (base // { name = "fixed"; args = [ "-c" "printf source > $out" ]; outputHashMode = "flat";
    outputHashAlgo = "sha256"; outputHash = "41cf6794ba4200b839c53531555f0f3998df4cbb01a4d5cb0b94e3ca5e23947d"; });
  multi = derivation (base // { name = "multi"; outputs = [ "out" "dev" "doc" ]; args = [ "-c" "true" ];
    features = "no-plain-features"; });
  features = derivation (base // { name = "features"; requiredSystemFeatures = [ "nixos-test" ]; args = [ "-c" "true" ]; });
}
)NIX");
  return testsupport::instantiate(dir.path() / "fixtures.nix");
}

Poco::JSON::Object::Ptr showDerivation(const std::string& drvPath) {
  services::PosixProcessRunner runner;
  sdk::ProcessSpec spec;
  spec.argv = {"nix", "--extra-experimental-features", "nix-command", "show-derivation", drvPath};
  spec.inheritEnvironment = true;
  auto result = runner.run(spec);
  if (!result || !result->succeeded()) return nullptr;
  Poco::JSON::Parser parser;
  return parser.parse(result->stdoutText).extract<Poco::JSON::Object::Ptr>()->getObject(drvPath);
}

}  // namespace

TEST(DerivationParserTest, ParsesEveryPart) {
  auto drv = DerivationParser::parse(kSample);
  ASSERT_TRUE(drv) << drv.error().describe();
  ASSERT_EQ(drv->outputs.size(), 1u);
  EXPECT_EQ(drv->outputs[0].path, "/nix/store/s18z-b");
  ASSERT_EQ(drv->inputDrvs.size(), 1u);
  EXPECT_EQ(drv->inputDrvs[0].first, "/nix/store/iv79-a.drv");
  EXPECT_EQ(drv->inputDrvs[0].second, std::vector<std::string>{"out"});
  EXPECT_EQ(drv->inputSrcs, std::vector<std::string>{"/nix/store/src-x"});
  EXPECT_EQ(drv->platform, "x86_64-linux");
  EXPECT_EQ(drv->args[1], "echo \"b\" > $out\\n");
  EXPECT_EQ(drv->requiredSystemFeatures(), (std::vector<std::string>{"kvm", "big-parallel"}));
  EXPECT_TRUE(drv->preferLocalBuild());
  EXPECT_FALSE(drv->isFixedOutput());
}

TEST(DerivationParserTest, RejectsMalformedInputWithAnOffset) {
  for (const std::string& bad :
       {std::string(""), std::string("Derive("), std::string("Derive([]"), std::string(kSample).substr(0, 50),
        std::string(kSample) + "trailing",
        std::string("Derive([(\"out\",\"/x\",\"\",\"\")],[],[],\"s\",\"b\",[],[(\"unterminated)])"),
        std::string("Derive([],[],[],\"s\",\"b\",[],[])"), std::string("Garbage(1,2,3)")}) {
    auto drv = DerivationParser::parse(bad);
    ASSERT_FALSE(drv) << bad;
    EXPECT_EQ(drv.error().code(), sdk::ErrorCode::InvalidArgument);
  }
  auto truncated = DerivationParser::parse(std::string(kSample).substr(0, 80));
  EXPECT_NE(truncated.error().message().find("at byte"), std::string::npos);
}

TEST(DerivationParserTest, RefusesHugeAndMissingFiles) {
  testsupport::TempDir dir;
  auto missing = DerivationParser::parseFile(dir.path() / "none.drv");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), sdk::ErrorCode::NotFound);
  auto huge = dir.path() / "huge.drv";
  {
    std::ofstream out(huge);
    out.seekp(DerivationParser::kMaxFileBytes + 1);
    out.put('x');
  }
  auto refused = DerivationParser::parseFile(huge);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("64 MiB"), std::string::npos);
}

// Property: for every .drv the fixtures create, the parser agrees with `nix show-derivation`.
TEST(DerivationParserTest, AgreesWithNixShowDerivation) {
  testsupport::TempDir dir;
  auto drvs = instantiateFixtures(dir);
  ASSERT_EQ(drvs.size(), 6u);
  std::set<std::string> seen;
  for (const auto& path : drvs) {
    SCOPED_TRACE(path);
    auto parsed = DerivationParser::parseFile(path);
    ASSERT_TRUE(parsed) << parsed.error().describe();
    auto nix = showDerivation(path);
    ASSERT_FALSE(nix.isNull());
    EXPECT_EQ(parsed->platform, nix->getValue<std::string>("system"));
    EXPECT_EQ(parsed->builder, nix->getValue<std::string>("builder"));
    auto args = nix->getArray("args");
    ASSERT_EQ(parsed->args.size(), args->size());
    for (std::size_t i = 0; i < args->size(); ++i) EXPECT_EQ(parsed->args[i], args->getElement<std::string>(i));
    auto env = nix->getObject("env");
    ASSERT_EQ(parsed->env.size(), env->size());
    for (const auto& [key, value] : parsed->env) EXPECT_EQ(value, env->getValue<std::string>(key)) << key;
    auto outputs = nix->getObject("outputs");
    ASSERT_EQ(parsed->outputs.size(), outputs->size());
    for (const auto& output : parsed->outputs) {
      auto o = outputs->getObject(output.name);
      ASSERT_FALSE(o.isNull()) << output.name;
      EXPECT_EQ(output.path, o->getValue<std::string>("path"));
      EXPECT_EQ(output.hash, o->has("hash") ? o->getValue<std::string>("hash") : "");
    }
    auto inputs = nix->getObject("inputDrvs");
    EXPECT_EQ(parsed->inputDrvs.size(), inputs->size());
    seen.insert(std::filesystem::path(path).filename().string().substr(33));
  }
  EXPECT_EQ(seen.count("fixed.drv"), 1u);
}

TEST(DerivationParserTest, DerivedFactsFromRealDerivations) {
  testsupport::TempDir dir;
  std::map<std::string, Derivation> byName;
  for (const auto& path : instantiateFixtures(dir)) {
    auto parsed = DerivationParser::parseFile(path);
    ASSERT_TRUE(parsed);
    byName[std::filesystem::path(path).stem().string().substr(33)] = *parsed;
  }
  EXPECT_TRUE(byName.at("fixed").isFixedOutput());
  EXPECT_FALSE(byName.at("plain").isFixedOutput());
  EXPECT_EQ(byName.at("structured").requiredSystemFeatures(), (std::vector<std::string>{"kvm", "big-parallel"}));
  EXPECT_TRUE(byName.at("structured").preferLocalBuild());
  EXPECT_EQ(byName.at("features").requiredSystemFeatures(), std::vector<std::string>{"nixos-test"});
  EXPECT_EQ(byName.at("multi").outputs.size(), 3u);
  EXPECT_TRUE(byName.at("multi").requiredSystemFeatures().empty());
}

}  // namespace ekaci::nix

namespace ekaci::nix {

// Property, wider: every derivation in the closures of the test package sets (the demo
// repository's and the evaluator fixture's), against one `nix show-derivation -r` call.
TEST(DerivationParserTest, AgreesWithNixOnEveryTestPackageSet) {
  services::PosixProcessRunner runner;
  testsupport::TempDir demo;
  sdk::ProcessSpec make;
  make.argv = {"bash", EKACI_SOURCE_DIR "/examples/demo/make-demo-repo.sh", (demo.path() / "repo").string()};
  make.inheritEnvironment = true;
  auto made = runner.run(make);
  ASSERT_TRUE(made && made->succeeded()) << (made ? made->stderrText : made.error().describe());
  std::vector<std::string> roots;
  const std::string demoFile = (demo.path() / "repo" / "default.nix").string();
  for (const std::string& file : {demoFile, std::string(EKACI_SOURCE_DIR "/tests/data/nix/errors/default.nix")}) {
    sdk::ProcessSpec spec;
    spec.argv = {"nix-instantiate", file};
    // Every attribute that evaluates (both sets contain broken ones on purpose).
    const std::vector<std::string> attrs =
        file.find("errors") != std::string::npos
            ? std::vector<std::string>{"hello", "tool", "sub.nested", "sub.deeper.leaf"}
            : std::vector<std::string>{"libcore", "libnet", "hello",   "curl",     "app-a",   "app-b",
                                       "app-c",   "app-d",  "fetched", "licensed", "newtool", "standalone"};
    for (const auto& attr : attrs) spec.argv.insert(spec.argv.end(), {"-A", attr});
    spec.inheritEnvironment = true;
    auto result = runner.run(spec);
    ASSERT_TRUE(result && result->succeeded()) << (result ? result->stderrText : result.error().describe());
    std::istringstream lines(result->stdoutText);
    for (std::string line; std::getline(lines, line);) {
      if (line.ends_with(".drv")) roots.push_back(line);
    }
  }
  ASSERT_GE(roots.size(), 15u);
  sdk::ProcessSpec show;
  show.argv = {"nix", "--extra-experimental-features", "nix-command", "show-derivation", "-r"};
  show.argv.insert(show.argv.end(), roots.begin(), roots.end());
  show.inheritEnvironment = true;
  auto shown = runner.run(show);
  ASSERT_TRUE(shown && shown->succeeded());
  Poco::JSON::Parser parser;
  auto all = parser.parse(shown->stdoutText).extract<Poco::JSON::Object::Ptr>();
  std::size_t compared = 0, fixed = 0;
  for (const auto& path : all->getNames()) {
    SCOPED_TRACE(path);
    auto nixView = all->getObject(path);
    auto parsed = DerivationParser::parseFile(path);
    ASSERT_TRUE(parsed) << parsed.error().describe();
    EXPECT_EQ(parsed->platform, nixView->getValue<std::string>("system"));
    EXPECT_EQ(parsed->env.size(), nixView->getObject("env")->size());
    EXPECT_EQ(parsed->inputDrvs.size(), nixView->getObject("inputDrvs")->size());
    EXPECT_EQ(parsed->inputSrcs.size(), nixView->getArray("inputSrcs")->size());
    for (const auto& output : parsed->outputs) {
      EXPECT_EQ(output.path, nixView->getObject("outputs")->getObject(output.name)->getValue<std::string>("path"));
    }
    fixed += parsed->isFixedOutput() ? 1 : 0;
    ++compared;
  }
  EXPECT_GE(compared, roots.size());
  EXPECT_GE(fixed, 1u) << "the demo's fetched source is a fixed-output derivation";
}

}  // namespace ekaci::nix
