#include "kernel/storage/SqliteStorage.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <set>

#include "kernel/storage/Migrations.h"
#include "tests/support/TempDir.h"

using namespace Poco::Data::Keywords;

namespace ekaci::storage {
namespace {

class SqliteStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStorage::open(dir_.path() / "db" / "sqlite.db");
    ASSERT_TRUE(opened) << opened.error().describe();
    storage_ = std::move(opened).value();
  }

  std::int64_t repository() {
    auto id = storage_->upsertRepository(RepositoryRecord{0, "local", "acme", "pkgs", "file:///repo", "main"});
    EXPECT_TRUE(id);
    return id ? *id : 0;
  }

  testsupport::TempDir dir_;
  std::unique_ptr<SqliteStorage> storage_;
};

DrvRecord drv(const std::string& name) {
  DrvRecord d;
  d.drvPath = "/nix/store/" + std::string(32, 'a') + "-" + name + ".drv";
  d.system = "x86_64-linux";
  d.outputs = {{"out", "/nix/store/" + std::string(32, 'b') + "-" + name}};
  return d;
}

}  // namespace

TEST_F(SqliteStorageTest, OpensInWalModeWithForeignKeysAndLatestSchema) {
  EXPECT_EQ(storage_->journalMode(), "wal");
  EXPECT_TRUE(storage_->foreignKeysEnabled());
  EXPECT_EQ(storage_->schemaVersion(), Migrations::latestVersion());
}

TEST_F(SqliteStorageTest, ReopeningDoesNotMigrateAgain) {
  auto path = dir_.path() / "db" / "sqlite.db";
  ASSERT_TRUE(storage_->upsertRepository(RepositoryRecord{0, "local", "o", "n", "", "main"}));
  storage_.reset();
  auto again = SqliteStorage::open(path);
  ASSERT_TRUE(again) << again.error().describe();
  auto counts = (*again)->counts();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->repositories, 1) << "data survives a restart";
}

TEST_F(SqliteStorageTest, RefusesADatabaseFromANewerVersion) {
  auto path = dir_.path() / "db" / "sqlite.db";
  storage_.reset();
  {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session("SQLite", path.string());
    session << "INSERT INTO schema_migrations (version, description) VALUES (999, 'from the future')", now;
  }
  auto refused = SqliteStorage::open(path);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), sdk::ErrorCode::StorageSchemaTooNew);
  EXPECT_NE(refused.error().message().find("schema version 999"), std::string::npos) << refused.error().message();
}

TEST_F(SqliteStorageTest, UnopenablePathIsAClearError) {
  auto blocked = dir_.write("file-not-dir", "x");
  auto result = SqliteStorage::open(blocked / "sqlite.db");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), sdk::ErrorCode::StorageOpen);
}

TEST_F(SqliteStorageTest, RepositoryAndCommitUpsertsAreIdempotent) {
  auto repo = repository();
  EXPECT_EQ(repository(), repo);
  auto c1 = storage_->upsertCommit(repo, "abc");
  auto c2 = storage_->upsertCommit(repo, "abc");
  ASSERT_TRUE(c1 && c2);
  EXPECT_EQ(*c1, *c2);
}

TEST_F(SqliteStorageTest, PullRequestsRoundTripAndUpdate) {
  auto repo = repository();
  PullRequestRecord pr;
  pr.repositoryId = repo;
  pr.number = 42;
  pr.title = "hello: 1.0 -> 1.1";
  pr.author = "alice";
  pr.headSha = "h1";
  pr.baseSha = "b1";
  ASSERT_TRUE(storage_->upsertPullRequest(pr));
  pr.headSha = "h2";
  pr.state = ChangeRequestState::Merged;
  ASSERT_TRUE(storage_->upsertPullRequest(pr));
  auto found = storage_->findPullRequest(repo, 42);
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->headSha, "h2");
  EXPECT_EQ((*found)->state, ChangeRequestState::Merged);
  EXPECT_EQ((*found)->title, "hello: 1.0 -> 1.1");
  auto missing = storage_->findPullRequest(repo, 7);
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_F(SqliteStorageTest, JobsetsAreUniquePerCommitAndJob) {
  auto repo = repository();
  auto commit = storage_->upsertCommit(repo, "abc");
  ASSERT_TRUE(commit);
  JobsetRecord j;
  j.repositoryId = repo;
  j.commitId = *commit;
  j.jobName = "packages";
  auto id = storage_->createJobset(j);
  ASSERT_TRUE(id);
  auto duplicate = storage_->createJobset(j);
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code(), sdk::ErrorCode::StorageConstraint);
  ASSERT_TRUE(storage_->finishJobset(*id, EvalState::Succeeded, "", 10, 2));
  auto found = storage_->findJobset(*commit, "packages");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->evalState, EvalState::Succeeded);
  EXPECT_EQ((*found)->attributes, 10);
  EXPECT_EQ((*found)->evalErrors, 2);
}

TEST_F(SqliteStorageTest, DerivationBatchesReturnIdsInOrderAndMergeMetadata) {
  std::vector<DrvRecord> batch;
  for (int i = 0; i < 1000; ++i) batch.push_back(drv("pkg" + std::to_string(i)));
  batch[3].isFixedOutput = true;
  batch[4].requiredFeatures = {"kvm", "big-parallel"};
  batch[5].pname = "pkg5";
  auto ids = storage_->upsertDrvs(batch);
  ASSERT_TRUE(ids) << ids.error().describe();
  ASSERT_EQ(ids->size(), batch.size());
  EXPECT_EQ(std::set<std::int64_t>(ids->begin(), ids->end()).size(), batch.size());

  // Upserting again (no metadata this time) keeps ids and existing metadata.
  std::vector<DrvRecord> again = {drv("pkg5"), drv("pkg4")};
  auto againIds = storage_->upsertDrvs(again);
  ASSERT_TRUE(againIds);
  EXPECT_EQ((*againIds)[0], (*ids)[5]);
  EXPECT_EQ((*againIds)[1], (*ids)[4]);
  auto found = storage_->findDrv(batch[5].drvPath);
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->pname, "pkg5");
  auto features = storage_->findDrv(batch[4].drvPath);
  EXPECT_EQ((*features)->requiredFeatures, (std::vector<std::string>{"kvm", "big-parallel"}));
  EXPECT_TRUE((*storage_->findDrv(batch[3].drvPath))->isFixedOutput);
  EXPECT_EQ((*found)->outputs, batch[5].outputs);
}

TEST_F(SqliteStorageTest, ReferencesAreIndexedBothWays) {
  auto ids = storage_->upsertDrvs({drv("app"), drv("lib"), drv("libc")});
  ASSERT_TRUE(ids);
  const auto app = (*ids)[0], lib = (*ids)[1], libc = (*ids)[2];
  ASSERT_TRUE(storage_->insertDrvReferences({{app, lib}, {app, libc}, {lib, libc}, {lib, libc}}));
  EXPECT_EQ(*storage_->referencesOf(app), (std::vector<std::int64_t>{lib, libc}));
  EXPECT_EQ(*storage_->referrersOf(libc), (std::vector<std::int64_t>{app, lib}));
  auto dangling = storage_->insertDrvReferences({{app, 999999}});
  ASSERT_FALSE(dangling) << "a reference to an unknown derivation violates the foreign key";
  EXPECT_EQ(dangling.error().code(), sdk::ErrorCode::StorageConstraint);
}

TEST_F(SqliteStorageTest, JobsCarryDiffKindAndEvalErrors) {
  auto repo = repository();
  auto commit = storage_->upsertCommit(repo, "abc");
  auto jobset = storage_->createJobset(JobsetRecord{0, repo, *commit, "packages", "{}", EvalState::Running, "", 0, 0});
  auto ids = storage_->upsertDrvs({drv("hello")});
  ASSERT_TRUE(jobset && ids);
  std::vector<JobRecord> jobs(2);
  jobs[0].attrPath = "hello";
  jobs[0].drvId = (*ids)[0];
  jobs[0].diffKind = DiffKind::Changed;
  jobs[1].attrPath = "broken";
  jobs[1].evalError = "attribute 'src' missing";
  jobs[1].diffKind = DiffKind::Added;
  ASSERT_TRUE(storage_->insertJobs(*jobset, jobs));
  auto stored = storage_->jobsOf(*jobset);
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 2u);
  EXPECT_EQ((*stored)[0].attrPath, "broken");
  EXPECT_FALSE((*stored)[0].drvId.has_value());
  EXPECT_EQ((*stored)[0].evalError, "attribute 'src' missing");
  EXPECT_EQ((*stored)[1].diffKind, DiffKind::Changed);
  EXPECT_EQ((*stored)[1].drvId, (*ids)[0]);
}

TEST_F(SqliteStorageTest, BuildEventsAppendAndSetTheCurrentState) {
  auto ids = storage_->upsertDrvs({drv("hello")});
  ASSERT_TRUE(ids);
  const auto id = (*ids)[0];
  ASSERT_TRUE(storage_->recordBuildEvent(BuildEventRecord{0, id, 0, "queued", "", 100}));
  ASSERT_TRUE(storage_->recordBuildEvent(BuildEventRecord{0, id, 1, "building", "local", 101}));
  auto counts = storage_->counts();
  ASSERT_TRUE(counts);
  EXPECT_TRUE(counts->queuedBySystem.empty()) << "building is not queued";
  auto events = storage_->buildEvents(id);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].state, "building");
  EXPECT_EQ((*events)[1].detail, "local");
  ASSERT_TRUE(storage_->recordBuildEvent(BuildEventRecord{0, id, 1, "queued", "", 102}));
  counts = storage_->counts();
  ASSERT_EQ(counts->queuedBySystem.size(), 1u);
  EXPECT_EQ(counts->queuedBySystem[0], (std::pair<std::string, std::int64_t>{"x86_64-linux", 1}));
}

TEST_F(SqliteStorageTest, DrvStatusesAnswerInTheOrderAskedAcrossChunks) {
  std::vector<DrvRecord> batch;
  for (int i = 0; i < 1203; ++i) {
    DrvRecord d = drv("p" + std::to_string(i));
    d.drvPath = "/nix/store/" + std::string(27, 'a') + std::to_string(10000 + i) + "-p.drv";
    batch.push_back(d);
  }
  auto ids = storage_->upsertDrvs(batch);
  ASSERT_TRUE(ids);
  ASSERT_EQ(ids->size(), 1203u);
  const auto last = ids->back();
  ASSERT_TRUE(storage_->recordBuildEvent(BuildEventRecord{0, last, 2, "failure", "exit 1", 500}));
  std::vector<std::int64_t> asked(ids->rbegin(), ids->rend());
  asked.push_back(999999);       // unknown: left out
  asked.push_back((*ids)[600]);  // asked twice: answered twice
  auto statuses = storage_->drvStatuses(asked);
  ASSERT_TRUE(statuses) << statuses.error().describe();
  ASSERT_EQ(statuses->size(), 1204u);
  for (std::size_t i = 0; i < 1203; ++i) {
    ASSERT_EQ((*statuses)[i].drvId, asked[i]) << "position " << i;
    EXPECT_EQ((*statuses)[i].drvPath, batch[1202 - i].drvPath);
  }
  EXPECT_EQ(statuses->back().drvId, (*ids)[600]);
  EXPECT_EQ(statuses->front().state, "failure");
  EXPECT_EQ(statuses->front().attempt, 2);
  EXPECT_EQ(statuses->front().detail, "exit 1");
  EXPECT_EQ((*statuses)[1].attempt, 0) << "no event yet";
  auto none = storage_->drvStatuses({});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(SqliteStorageTest, OutputSizesAreRecordedPerCommitAndFoundByStorePath) {
  auto repo = repository();
  auto first = storage_->createJobset(
      JobsetRecord{0, repo, *storage_->upsertCommit(repo, "c1"), "packages", "{}", EvalState::Succeeded, "", 0, 0});
  auto second = storage_->createJobset(
      JobsetRecord{0, repo, *storage_->upsertCommit(repo, "c2"), "packages", "{}", EvalState::Succeeded, "", 0, 0});
  auto ids = storage_->upsertDrvs({drv("hello")});
  ASSERT_TRUE(first && second && ids);
  const std::string out = "/nix/store/" + std::string(32, 'b') + "-hello";
  ASSERT_TRUE(storage_->recordOutputSizes(*first, {{(*ids)[0], "out", out, 100, 1000, 10}}));
  ASSERT_TRUE(storage_->recordOutputSizes(*first, {{(*ids)[0], "out", out, 120, 1200, 11}})) << "measured again";
  ASSERT_TRUE(storage_->recordOutputSizes(*second, {{(*ids)[0], "out", out, 130, 1300, 12}}));
  auto found = storage_->outputSizesOf({out, "/nix/store/" + std::string(32, 'c') + "-never"});
  ASSERT_TRUE(found) << found.error().describe();
  ASSERT_EQ(found->size(), 1u) << "a path never measured is left out";
  EXPECT_EQ((*found)[0].narSize, 130) << "the latest measurement";
  EXPECT_EQ((*found)[0].closureSize, 1300);
  EXPECT_EQ((*found)[0].outputName, "out");
  Poco::Data::Session session("SQLite", (dir_.path() / "db" / "sqlite.db").string());
  int rows = 0;
  session << "SELECT COUNT(*) FROM output_sizes", into(rows), now;
  EXPECT_EQ(rows, 2) << "one row per output and commit";
  auto unknown = storage_->recordOutputSizes(999999, {{(*ids)[0], "out", out, 1, 1, 1}});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message().find("jobset 999999"), std::string::npos) << unknown.error().message();
}

TEST_F(SqliteStorageTest, OutboxDeliversDueMessagesAndSupersedesByKey) {
  OutboxMessage m;
  m.forgeId = "gh";
  m.kind = "report";
  m.payloadJson = R"({"state":"pending"})";
  m.dedupeKey = "acme/pkgs@abc:eka-ci/eval";
  m.nextAttemptAt = 100;
  ASSERT_TRUE(storage_->enqueueOutbox(m));
  m.payloadJson = R"({"state":"success"})";
  auto second = storage_->enqueueOutbox(m);
  ASSERT_TRUE(second);
  OutboxMessage later = m;
  later.dedupeKey = std::nullopt;
  later.nextAttemptAt = 500;
  ASSERT_TRUE(storage_->enqueueOutbox(later));

  auto due = storage_->dueOutbox(200, 10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u) << "the pending report was superseded; the later one is not due";
  EXPECT_EQ((*due)[0].payloadJson, R"({"state":"success"})");
  ASSERT_TRUE(storage_->markOutboxFailed((*due)[0].id, "HTTP 502", 300));
  EXPECT_TRUE(storage_->dueOutbox(200, 10)->empty());
  due = storage_->dueOutbox(600, 10);
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].attempts, 1);
  EXPECT_EQ((*due)[0].lastError, "HTTP 502");
  ASSERT_TRUE(storage_->markOutboxDelivered((*due)[0].id, 601));
  EXPECT_EQ(storage_->dueOutbox(600, 10)->size(), 1u);
  EXPECT_EQ(storage_->counts()->pendingOutbox, 1);
}

}  // namespace ekaci::storage

namespace ekaci::storage {
namespace {

// More derivations than one id lookup takes (500), some already stored, one with quotes
// and a parenthesis in its name (a pull request names its derivations): every id is the
// stored one, in the order given.
TEST_F(SqliteStorageTest, UpsertReturnsEveryIdInOrderAcrossLookupBatches) {
  std::vector<DrvRecord> first(300);
  for (std::size_t i = 0; i < first.size(); ++i) {
    first[i].drvPath = "/nix/store/" + std::string(32, 'a') + "-early-" + std::to_string(i) + ".drv";
    first[i].system = "x86_64-linux";
  }
  auto early = storage_->upsertDrvs(first);
  ASSERT_TRUE(early);
  std::vector<DrvRecord> all(first.begin(), first.end());
  for (std::size_t i = 0; i < 934; ++i) {
    DrvRecord d;
    d.drvPath = "/nix/store/" + std::string(32, 'b') + "-late-" + std::to_string(i) + ".drv";
    d.system = "x86_64-linux";
    all.insert(all.begin() + static_cast<std::ptrdiff_t>(i % (all.size() + 1)), d);
  }
  all.back().drvPath = "/nix/store/" + std::string(32, 'c') + "-x'); DROP TABLE drvs; --\".drv";
  auto ids = storage_->upsertDrvs(all);
  ASSERT_TRUE(ids) << ids.error().describe();
  ASSERT_EQ(ids->size(), all.size());
  std::set<std::int64_t> distinct(ids->begin(), ids->end());
  EXPECT_EQ(distinct.size(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    auto found = storage_->findDrv(all[i].drvPath);
    ASSERT_TRUE(found && *found) << all[i].drvPath;
    EXPECT_EQ((*found)->id, (*ids)[i]) << all[i].drvPath;
  }
  for (std::size_t i = 0; i < first.size(); ++i) {
    auto found = storage_->findDrv(first[i].drvPath);
    EXPECT_EQ((*found)->id, (*early)[i]) << "an existing derivation keeps its id";
  }
}

}  // namespace
}  // namespace ekaci::storage
