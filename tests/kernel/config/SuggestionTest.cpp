#include "kernel/config/Suggestion.h"

#include <gtest/gtest.h>

namespace ekaci::config {

TEST(SuggestionTest, DistanceCountsEditsAndSwaps) {
  EXPECT_EQ(Suggestion::distance("address", "address"), 0u);
  EXPECT_EQ(Suggestion::distance("adress", "address"), 1u);
  EXPECT_EQ(Suggestion::distance("adderss", "address"), 1u) << "adjacent swap";
  EXPECT_EQ(Suggestion::distance("cache-type", "cache_type"), 0u) << "- and _ are the same";
  EXPECT_EQ(Suggestion::distance("PORT", "port"), 0u);
}

TEST(SuggestionTest, ClosestOnlyWhenPlausible) {
  const std::vector<std::string> keys = {"address", "port", "allowed_origins", "bundle_path"};
  EXPECT_EQ(Suggestion::closest("adress", keys), "address");
  EXPECT_EQ(Suggestion::closest("prot", keys), "port");
  EXPECT_FALSE(Suggestion::closest("completely_different", keys).has_value());
  EXPECT_EQ(Suggestion::hint("zzz", keys), "");
  EXPECT_EQ(Suggestion::hint("bundle", keys), " (did you mean 'bundle_path'?)");
}

}  // namespace ekaci::config
