// Whether Nix would build in its sandbox as a build user, from `nix show-config`.
#include "kernel/nix/NixSandbox.h"

#include <gtest/gtest.h>

#include "kernel/nix/NixEnvironment.h"
#include "kernel/services/PosixProcessRunner.h"

namespace ekaci::nix {
namespace {

TEST(NixSandboxTest, ReadsSandboxAndBuildUsersFromShowConfig) {
  auto confined = NixSandbox::fromShowConfig("cores = 0\nsandbox = true\nbuild-users-group = nixbld\n", true);
  EXPECT_TRUE(confined.sandbox);
  EXPECT_EQ(confined.buildUsersGroup, "nixbld");
  EXPECT_EQ(confined.problem, "");

  EXPECT_EQ(NixSandbox::fromShowConfig("sandbox = relaxed\nbuild-users-group = nixbld\n", true).problem, "");
  EXPECT_NE(NixSandbox::fromShowConfig("sandbox = false\nbuild-users-group = nixbld\n", true).problem.find("sandbox"),
            std::string::npos);
  EXPECT_NE(NixSandbox::fromShowConfig("sandbox = true\nbuild-users-group = \n", true).problem.find("build users"),
            std::string::npos);
  // Not root: Nix cannot switch users, the sandbox alone confines the builder.
  EXPECT_EQ(NixSandbox::fromShowConfig("sandbox = true\nbuild-users-group = \n", false).problem, "");
  EXPECT_NE(NixSandbox::fromShowConfig("", false).problem, "");
}

TEST(NixSandboxTest, AsksTheRealNixWithTheBuildsOptions) {
  services::PosixProcessRunner processes;
  auto off = NixSandbox::inspect(processes, "nix", {{"sandbox", "false"}}, NixEnvironment().variables());
  ASSERT_TRUE(off) << off.error().describe();
  EXPECT_FALSE(off->sandbox);
  EXPECT_NE(off->problem, "");
  auto on = NixSandbox::inspect(processes, "nix", {{"sandbox", "true"}, {"build-users-group", "nixbld"}},
                                NixEnvironment().variables());
  ASSERT_TRUE(on) << on.error().describe();
  EXPECT_TRUE(on->sandbox);
  EXPECT_EQ(on->buildUsersGroup, "nixbld");
  EXPECT_EQ(on->problem, "");
}

TEST(NixSandboxTest, ABrokenNixIsAnError) {
  services::PosixProcessRunner processes;
  EXPECT_FALSE(NixSandbox::inspect(processes, "/nonexistent/nix", {}, {}));
}

}  // namespace
}  // namespace ekaci::nix
