#include "kernel/storage/StorageRecords.h"

#include <array>
#include <utility>

namespace ekaci::storage {
namespace {
template <typename Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<std::pair<Enum, const char*>, N>& table, const std::string& text) {
  for (const auto& [value, name] : table) {
    if (text == name) return value;
  }
  return std::nullopt;
}
template <typename Enum, std::size_t N>
const char* nameOf(const std::array<std::pair<Enum, const char*>, N>& table, Enum value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

constexpr std::array<std::pair<ChangeRequestState, const char*>, 3> kChangeRequestStates = {
    {{ChangeRequestState::Open, "open"},
     {ChangeRequestState::Closed, "closed"},
     {ChangeRequestState::Merged, "merged"}}};
constexpr std::array<std::pair<EvalState, const char*>, 4> kEvalStates = {{{EvalState::Pending, "pending"},
                                                                           {EvalState::Running, "running"},
                                                                           {EvalState::Succeeded, "succeeded"},
                                                                           {EvalState::Failed, "failed"}}};
constexpr std::array<std::pair<DiffKind, const char*>, 4> kDiffKinds = {{{DiffKind::Added, "added"},
                                                                         {DiffKind::Removed, "removed"},
                                                                         {DiffKind::Changed, "changed"},
                                                                         {DiffKind::Unchanged, "unchanged"}}};
constexpr std::array<std::pair<BuildJobsetState, const char*>, 4> kBuildJobsetStates = {
    {{BuildJobsetState::Building, "building"},
     {BuildJobsetState::Succeeded, "succeeded"},
     {BuildJobsetState::Failed, "failed"},
     {BuildJobsetState::Cancelled, "cancelled"}}};
}  // namespace

const char* toString(BuildJobsetState state) {
  return nameOf(kBuildJobsetStates, state);
}
std::optional<BuildJobsetState> buildJobsetStateFrom(const std::string& t) {
  return lookup(kBuildJobsetStates, t);
}
const char* toString(ChangeRequestState state) {
  return nameOf(kChangeRequestStates, state);
}
const char* toString(EvalState state) {
  return nameOf(kEvalStates, state);
}
const char* toString(DiffKind kind) {
  return nameOf(kDiffKinds, kind);
}
std::optional<ChangeRequestState> changeRequestStateFrom(const std::string& t) {
  return lookup(kChangeRequestStates, t);
}
std::optional<EvalState> evalStateFrom(const std::string& t) {
  return lookup(kEvalStates, t);
}
std::optional<DiffKind> diffKindFrom(const std::string& t) {
  return lookup(kDiffKinds, t);
}

void MergeRequestRecord::clearCommand() {
  pinnedSha.clear();
  commandMethod.clear();
  requester.clear();
  requesterId.clear();
  commentId = 0;
  requestedAt = 0;
}

}  // namespace ekaci::storage
