#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ekaci::forge {

// GitHub's merge-queue branches: "refs/heads/gh-readonly-queue/<base>/pr-<number>-<sha>".
class MergeQueueRef {
 public:
  // The pull request a merge-queue entry was made for (its last "pr-<n>-" segment).
  static std::optional<std::uint64_t> pullRequestOf(std::string_view ref);
};

}  // namespace ekaci::forge
