#include "kernel/nix/StoreQuery.h"

#include <gtest/gtest.h>

#include "kernel/services/PosixProcessRunner.h"

namespace ekaci::nix {
namespace {

TEST(StoreQueryTest, ParsesTheDerivationsToBuildAndIgnoresFetchedPaths) {
  const std::string output =
      "these 2 derivations will be built:\n"
      "  /nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a.drv\n"
      "  /nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-b.drv\n"
      "these 3 paths will be fetched (1.20 MiB download, 5.00 MiB unpacked):\n"
      "  /nix/store/cccccccccccccccccccccccccccccccc-c\n"
      "  /nix/store/dddddddddddddddddddddddddddddddd-d.drv\n"
      "warning: something\n";
  auto built = StoreQuery::parseDryRun(output);
  EXPECT_EQ(built, (std::set<std::string>{"/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a.drv",
                                          "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-b.drv"}));
  EXPECT_EQ(StoreQuery::parseDryRun("this derivation will be built:\n  /nix/store/x-y.drv\n").size(), 1u);
  EXPECT_TRUE(StoreQuery::parseDryRun("").empty());
}

TEST(StoreQueryTest, AMissingDerivationIsAnErrorNamingIt) {
  services::PosixProcessRunner runner;
  NixInvocation config;
  config.options = {{"substituters", ""}};
  StoreQuery query(runner, config);
  auto result = query.derivationsToBuild({"/nix/store/00000000000000000000000000000000-missing.drv"});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message().find("missing.drv"), std::string::npos) << result.error().message();
}

}  // namespace
}  // namespace ekaci::nix
