#include "kernel/nix/NixBuildExecutor.h"

#include <gtest/gtest.h>

#include "ekaci/sdk/testing/FakeProcessRunner.h"
#include "tests/support/TempDir.h"

namespace ekaci::nix {
namespace {

NixInvocation config() {
  NixInvocation c;
  c.noOutputTimeout = std::chrono::seconds(1200);
  c.maxDuration = std::chrono::seconds(14400);
  c.options = {{"substituters", ""}};
  return c;
}

// A batch's derivations with their build logs in a fresh directory, on the local builder.
struct Batch {
  explicit Batch(const std::vector<std::string>& drvs) : logs(dir.path()) {
    for (const auto& drv : drvs) writers.push_back(std::move(logs.open(drv)).value());
    local.name = "local";
  }
  std::vector<BuildExecutor::BatchItem> items(const std::vector<std::string>& drvs,
                                              const std::vector<std::string>& outputs) const {
    std::vector<BuildExecutor::BatchItem> out;
    for (std::size_t i = 0; i < drvs.size(); ++i) out.push_back({drvs[i], {outputs[i]}, writers[i].get()});
    return out;
  }
  testsupport::TempDir dir;
  BuildLogStore logs;
  std::vector<std::unique_ptr<BuildLogStore::Writer>> writers;
  BuilderSpec local;
};

TEST(NixBuildExecutorTest, LocalBuildsPassBothTimeoutsAndNoRemoteBuilders) {
  sdk::testing::FakeProcessRunner runner;
  const auto c = config();
  NixBuildExecutor executor(runner, c);
  BuilderSpec local;
  local.name = "local";
  local.kind = BuilderKind::Local;
  EXPECT_EQ(executor.command({"/nix/store/a-x.drv"}, local),
            (std::vector<std::string>{"nix-store", "--realise", "/nix/store/a-x.drv", "--max-silent-time", "1200",
                                      "--timeout", "14400", "--option", "max-log-size", "67108864", "--option",
                                      "substituters", "", "--max-jobs", "1", "--option", "builders", ""}));
}

TEST(NixBuildExecutorTest, RemoteBuildsNameTheMachineAloneAndBuildNothingHere) {
  sdk::testing::FakeProcessRunner runner;
  const auto c = config();
  NixBuildExecutor executor(runner, c);
  BuilderSpec remote;
  remote.name = remote.uri = "ssh-ng://builder@10.0.0.5";
  remote.kind = BuilderKind::Remote;
  remote.systems = {"aarch64-linux"};
  remote.maxJobs = 4;
  remote.supportedFeatures = {"big-parallel"};
  auto argv = executor.command({"/nix/store/a-x.drv", "/nix/store/b-y.drv"}, remote);
  const std::vector<std::string> tail = {"--max-jobs", "0", "--option", "builders",
                                         "ssh-ng://builder@10.0.0.5 aarch64-linux - 4 1 big-parallel - -"};
  ASSERT_GE(argv.size(), tail.size());
  EXPECT_EQ(std::vector<std::string>(argv.end() - static_cast<std::ptrdiff_t>(tail.size()), argv.end()), tail);
  EXPECT_EQ(argv[2], "/nix/store/a-x.drv");
  EXPECT_EQ(argv[3], "/nix/store/b-y.drv");
}

// Answers a batch run with Nix's JSON log as Nix 2.8 writes it, and the validity check with
// the outputs that were not built.
class ScriptedNix : public sdk::ProcessRunner {
 public:
  using sdk::ProcessRunner::run;
  sdk::Result<sdk::ProcessResult> run(const sdk::ProcessSpec& spec, const sdk::ProcessLineCallback& onLine) override {
    calls.push_back(spec.argv);
    sdk::ProcessResult result;
    result.exitCode = 0;
    if (std::find(spec.argv.begin(), spec.argv.end(), "--check-validity") != spec.argv.end()) {
      result.stdoutText = invalid;
      return result;
    }
    for (const auto& line : log) {
      linesBefore.push_back(told ? *told : 0);
      onLine(sdk::OutputStream::Stderr, line);
    }
    result.exitCode = exitCode;
    return result;
  }
  int exitCode = 100;
  const std::size_t* told = nullptr;  // how many successes were told, sampled before each line
  std::vector<std::size_t> linesBefore;
  std::vector<std::string> log;
  std::string invalid;
  std::vector<std::vector<std::string>> calls;
};

TEST(NixBuildExecutorTest, ABatchSortsLinesAndFailuresByDerivation) {
  ScriptedNix nix;
  const std::string a = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-ok.drv";
  const std::string b = "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-bad.drv";
  const std::string c = "/nix/store/cccccccccccccccccccccccccccccccc-slow.drv";
  const std::string esc = "\\u001b";  // Nix colours its messages even in JSON (escaped there)
  nix.log = {
      R"(@nix {"action":"start","id":1,"level":0,"text":"","type":102})",
      R"(@nix {"action":"start","fields":[")" + a + R"(","",1,1],"id":7,"level":3,"text":"building","type":105})",
      R"(@nix {"action":"start","fields":[")" + b + R"(","",1,1],"id":8,"level":3,"text":"building","type":105})",
      R"(@nix {"action":"start","fields":[")" + c + R"(","",1,1],"id":9,"level":3,"text":"building","type":105})",
      R"(@nix {"action":"result","fields":["compiling ok"],"id":7,"type":101})",
      R"(@nix {"action":"result","fields":["missing header"],"id":8,"type":101})",
      R"(@nix {"action":"result","fields":[0,2,1,0],"id":1,"type":105})",
      R"(@nix {"action":"msg","level":0,"msg":")" + esc + "[31;1merror:" + esc + "[0m builder for '" + esc + "[35;1m" +
          b + esc + R"([0m' failed with exit code 2","raw_msg":"builder for ')" + esc + "[35;1m" + b + esc +
          R"([0m' failed with exit code 2"})",
      R"(@nix {"action":"msg","level":0,"msg":"building of ')" + c +
          R"(!*' from .drv file timed out after 2 seconds of silence"})",
      "not json at all",
  };
  nix.invalid = "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-bad\n/nix/store/cccccccccccccccccccccccccccccccc-slow\n";
  const auto c0 = config();
  NixBuildExecutor executor(nix, c0);
  Batch batch({a, b, c});
  std::atomic<bool> cancel{false};
  auto outcomes = executor.buildBatch(batch.items({a, b, c}, {"/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-ok",
                                                              "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-bad",
                                                              "/nix/store/cccccccccccccccccccccccccccccccc-slow"}),
                                      batch.local, cancel);
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].kind, BuildOutcome::Kind::Success);
  EXPECT_EQ(outcomes[1].kind, BuildOutcome::Kind::Failure);
  EXPECT_EQ(outcomes[1].detail, "exit code 2");
  EXPECT_EQ(outcomes[2].kind, BuildOutcome::Kind::Interrupted);
  EXPECT_EQ(outcomes[2].interrupt, InterruptKind::Timeout);
  batch.writers[0]->finish();
  batch.writers[1]->finish();
  const auto logA = batch.logs.read("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").value();
  const auto logB = batch.logs.read("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb").value();
  EXPECT_NE(logA.find("compiling ok"), std::string::npos) << logA;
  EXPECT_EQ(logA.find("missing header"), std::string::npos) << logA;
  EXPECT_NE(logB.find("missing header"), std::string::npos) << logB;
  EXPECT_NE(logB.find("failed with exit code 2"), std::string::npos) << logB;
  EXPECT_EQ(logB.find("\x1b"), std::string::npos) << "colours are stripped";
  ASSERT_EQ(nix.calls.size(), 2u);
  EXPECT_NE(std::find(nix.calls[0].begin(), nix.calls[0].end(), "--keep-going"), nix.calls[0].end());
  EXPECT_NE(std::find(nix.calls[0].begin(), nix.calls[0].end(), "internal-json"), nix.calls[0].end());
}

// Nix 2.8's log of `nix-store --realise a b c --keep-going --max-jobs 1` where b fails, as
// it writes it: one build at a time, its progress counter ([done, expected, running,
// failed] on the "builds" activity) moving as each one ends; failures reported at the end.
TEST(NixBuildExecutorTest, EachSuccessIsToldAsSoonAsNixCountsItDone) {
  ScriptedNix nix;
  const std::string a = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a.drv";
  const std::string b = "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-b.drv";
  const std::string c = "/nix/store/cccccccccccccccccccccccccccccccc-c.drv";
  auto start = [](const std::string& drv, int id) {
    return R"(@nix {"action":"start","fields":[")" + drv + R"(","",1,1],"id":)" + std::to_string(id) +
           R"(,"level":3,"text":"building","type":105})";
  };
  auto progress = [](const std::string& fields) {
    return R"(@nix {"action":"result","fields":[)" + fields + R"(],"id":34,"type":105})";
  };
  nix.log = {
      R"(@nix {"action":"start","id":33,"level":0,"text":"","type":102})",
      R"(@nix {"action":"start","id":34,"level":0,"text":"","type":104})",
      progress("0,3,0,0"),
      start(a, 37),
      progress("0,3,1,0"),
      R"(@nix {"action":"result","fields":["hi a"],"id":37,"type":101})",
      progress("1,3,0,0"),  // a is done
      start(b, 38),
      progress("1,3,1,0"),
      progress("1,2,0,1"),  // b failed: not a success
      start(c, 39),
      progress("1,2,1,1"),
      progress("2,2,0,1"),  // c is done
      R"(@nix {"action":"stop","id":39})",
      R"(@nix {"action":"msg","level":0,"msg":"error: builder for ')" + b + R"(' failed with exit code 1"})",
  };
  nix.invalid = "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-b\n";
  const auto c0 = config();
  NixBuildExecutor executor(nix, c0);
  Batch batch({a, b, c});
  std::atomic<bool> cancel{false};
  std::vector<std::size_t> told;
  std::size_t count = 0;
  nix.told = &count;
  auto outcomes = executor.buildBatch(batch.items({a, b, c}, {"/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a",
                                                              "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-b",
                                                              "/nix/store/cccccccccccccccccccccccccccccccc-c"}),
                                      batch.local, cancel, [&](std::size_t item, const BuildOutcome& outcome) {
                                        EXPECT_EQ(outcome.kind, BuildOutcome::Kind::Success);
                                        told.push_back(item);
                                        ++count;
                                      });
  EXPECT_EQ(told, (std::vector<std::size_t>{0, 2})) << "a and c, in the order Nix finished them; never b";
  ASSERT_EQ(nix.linesBefore.size(), nix.log.size());
  EXPECT_EQ(nix.linesBefore[7], 1u) << "a was told before b started, not at the end of the batch";
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].kind, BuildOutcome::Kind::Success);
  EXPECT_EQ(outcomes[1].kind, BuildOutcome::Kind::Failure);
  EXPECT_EQ(outcomes[2].kind, BuildOutcome::Kind::Success);
}

TEST(NixBuildExecutorTest, ABatchNixRealisedWholeNeedsNoValidityCheck) {
  ScriptedNix nix;
  nix.exitCode = 0;
  const std::string a = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a.drv";
  const std::string b = "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-b.drv";
  const auto c0 = config();
  NixBuildExecutor executor(nix, c0);
  Batch batch({a, b});
  std::atomic<bool> cancel{false};
  auto outcomes = executor.buildBatch(batch.items({a, b}, {"/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a",
                                                           "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-b"}),
                                      batch.local, cancel);
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].kind, BuildOutcome::Kind::Success);
  EXPECT_EQ(outcomes[1].kind, BuildOutcome::Kind::Success);
  ASSERT_EQ(nix.calls.size(), 1u) << "nix-store exited 0: every path was realised";
}

}  // namespace
}  // namespace ekaci::nix
