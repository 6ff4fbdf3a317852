#include "kernel/config/HookAllowList.h"

#include <gtest/gtest.h>

namespace ekaci::config {
namespace {

TEST(HookAllowListTest, OnlyListedBareProgramNamesAreAllowed) {
  const std::vector<std::string> allowed = {"cachix", "notify-send"};
  EXPECT_TRUE(HookAllowList::allows(allowed, "cachix"));
  EXPECT_TRUE(HookAllowList::allows(allowed, "notify-send"));
  EXPECT_FALSE(HookAllowList::allows(allowed, ""));
  EXPECT_FALSE(HookAllowList::allows(allowed, "sh"));
  EXPECT_FALSE(HookAllowList::allows(allowed, "/usr/bin/cachix")) << "a path is not the listed name";
  EXPECT_FALSE(HookAllowList::allows(allowed, "./cachix"));
  EXPECT_FALSE(HookAllowList::allows(allowed, "cachi"));
  EXPECT_FALSE(HookAllowList::allows({}, "cachix")) << "an empty list allows nothing";
  EXPECT_FALSE(HookAllowList::allows({"/bin/sh"}, "/bin/sh")) << "even when the operator listed a path";
}

}  // namespace
}  // namespace ekaci::config
