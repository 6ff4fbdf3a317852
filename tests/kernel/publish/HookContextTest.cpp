#include "kernel/publish/HookContext.h"

#include <gtest/gtest.h>

namespace ekaci::publish {

TEST(HookContextTest, PnameFollowsNixsParseDrvName) {
  EXPECT_EQ(HookContext::pnameOf("/nix/store/0c9a2fz6gmxpw3dr1bqi5v8ypqm2h9a8-hello-2.12.1.drv"), "hello");
  EXPECT_EQ(HookContext::pnameOf("/nix/store/0c9a2fz6gmxpw3dr1bqi5v8ypqm2h9a8-gtk-doc-1.33.drv"), "gtk-doc");
  EXPECT_EQ(HookContext::pnameOf("/nix/store/0c9a2fz6gmxpw3dr1bqi5v8ypqm2h9a8-source.drv"), "source");
  EXPECT_EQ(HookContext::pnameOf("/nix/store/0c9a2fz6gmxpw3dr1bqi5v8ypqm2h9a8-python3.11-requests-2.31.drv"),
            "python3.11-requests");
}

TEST(HookContextTest, VariablesAreTheManuals) {
  HookContext c;
  c.drvPath = "/nix/store/x.drv";
  c.outputs = {"/nix/store/a-out", "/nix/store/b-dev"};
  c.jobName = "packages";
  c.fixedOutput = true;
  c.system = "x86_64-linux";
  c.pname = "hello";
  c.buildLogPath = "/var/log/b.log";
  c.commitSha = "abc";
  const std::vector<std::pair<std::string, std::string>> expected = {{"DRV_PATH", "/nix/store/x.drv"},
                                                                     {"OUT_PATHS", "/nix/store/a-out /nix/store/b-dev"},
                                                                     {"EKA_JOB_NAME", "packages"},
                                                                     {"EKA_IS_FOD", "true"},
                                                                     {"EKA_SYSTEM", "x86_64-linux"},
                                                                     {"EKA_PNAME", "hello"},
                                                                     {"EKA_BUILD_LOG_PATH", "/var/log/b.log"},
                                                                     {"EKA_COMMIT_SHA", "abc"}};
  EXPECT_EQ(c.variables(), expected);
}

}  // namespace ekaci::publish
