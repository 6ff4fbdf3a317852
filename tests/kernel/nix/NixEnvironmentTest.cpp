// The allow-list of server variables the Nix programs eka-ci runs may see.
#include "kernel/nix/NixEnvironment.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace ekaci::nix {
namespace {

TEST(NixEnvironmentTest, KeepsWhatNixNeedsAndDropsEverythingElse) {
  NixEnvironment environment;
  const auto selected = environment.select({"PATH=/usr/bin:/bin", "HOME=/var/lib/ekaci", "LANG=C.UTF-8",
                                            "LC_ALL=C", "NIX_REMOTE=daemon", "NIX_CONF_DIR=/etc/nix",
                                            "GITHUB_APP_PRIVATE_KEY=-----BEGIN", "AWS_SECRET_ACCESS_KEY=abc",
                                            "EKACI_WEBHOOK_SECRET=s3cret", "LD_PRELOAD=/evil.so", "=broken", "NOEQUALS"});
  const NixEnvironment::Variables expected = {{"HOME", "/var/lib/ekaci"}, {"LANG", "C.UTF-8"},
                                              {"LC_ALL", "C"},            {"NIX_CONF_DIR", "/etc/nix"},
                                              {"NIX_REMOTE", "daemon"},   {"PATH", "/usr/bin:/bin"}};
  EXPECT_EQ(selected, expected);
}

TEST(NixEnvironmentTest, TheOperatorCanPassMoreNames) {
  NixEnvironment environment({"HTTP_PROXY"});
  EXPECT_TRUE(environment.allowed("HTTP_PROXY"));
  EXPECT_FALSE(environment.allowed("HTTPS_PROXY"));
  EXPECT_EQ(environment.select({"HTTP_PROXY=http://proxy:3128", "HTTPS_PROXY=x"}),
            (NixEnvironment::Variables{{"HTTP_PROXY", "http://proxy:3128"}}));
}

TEST(NixEnvironmentTest, ReadsTheProcessEnvironment) {
  ::setenv("EKACI_NIX_ENVIRONMENT_TEST_SECRET", "do-not-pass", 1);
  ::setenv("LC_MESSAGES", "C", 1);
  const auto variables = NixEnvironment().variables();
  ::unsetenv("EKACI_NIX_ENVIRONMENT_TEST_SECRET");
  bool sawLocale = false;
  for (const auto& [name, value] : variables) {
    EXPECT_NE(name, "EKACI_NIX_ENVIRONMENT_TEST_SECRET");
    sawLocale = sawLocale || (name == "LC_MESSAGES" && value == "C");
  }
  EXPECT_TRUE(sawLocale);
}

}  // namespace
}  // namespace ekaci::nix
