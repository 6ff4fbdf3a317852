#include "kernel/forge/MergeQueueRef.h"

#include <charconv>

namespace ekaci::forge {

std::optional<std::uint64_t> MergeQueueRef::pullRequestOf(std::string_view ref) {
  constexpr std::string_view kQueue = "gh-readonly-queue/";
  const auto queue = ref.find(kQueue);
  if (queue == std::string_view::npos) return std::nullopt;
  const auto slash = ref.rfind('/');
  if (slash == std::string_view::npos || slash < queue + kQueue.size()) return std::nullopt;
  std::string_view last = ref.substr(slash + 1);
  if (last.substr(0, 3) != "pr-") return std::nullopt;
  last.remove_prefix(3);
  std::uint64_t number = 0;
  auto [end, ec] = std::from_chars(last.data(), last.data() + last.size(), number);
  if (ec != std::errc() || number == 0 || end == last.data() + last.size() || *end != '-') return std::nullopt;
  return number;
}

}  // namespace ekaci::forge
