// One owner per state directory, and private directories.
#include "kernel/server/StateDirectory.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/support/TempDir.h"

namespace ekaci::server {
namespace {

unsigned mode(const std::filesystem::path& path) {
  return static_cast<unsigned>(std::filesystem::status(path).permissions()) & 0777u;
}

TEST(StateDirectoryTest, CreatesPrivateDirectoriesAndTightensLooseOnes) {
  testsupport::TempDir dir;
  const auto state = dir.path() / "state", logs = dir.path() / "elsewhere" / "logs";
  std::filesystem::create_directories(state);
  std::filesystem::permissions(state, std::filesystem::perms::all);
  auto owned = StateDirectory::open(state, {logs}, "test");
  ASSERT_TRUE(owned) << owned.error().describe();
  EXPECT_EQ(mode(state), 0700u);
  EXPECT_EQ(mode(logs), 0700u);
  EXPECT_EQ(mode(state / "owner.lock") & 077u, 0u);
}

TEST(StateDirectoryTest, OneOwnerAtATimeNamedInTheRefusal) {
  testsupport::TempDir dir;
  auto first = StateDirectory::open(dir.path(), {}, "ekaci review --build");
  ASSERT_TRUE(first);
  auto second = StateDirectory::open(dir.path(), {}, "eka-ci-server");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), sdk::ErrorCode::StateDirectoryBusy);
  EXPECT_NE(second.error().message().find("in use by ekaci review --build (pid " + std::to_string(::getpid()) + ")"),
            std::string::npos)
      << second.error().message();
  first.value().reset();
  EXPECT_TRUE(StateDirectory::open(dir.path(), {}, "eka-ci-server")) << "released with its owner";
}

}  // namespace
}  // namespace ekaci::server
