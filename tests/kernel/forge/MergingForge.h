#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ekaci/sdk/Forge.h"
#include "tests/kernel/forge/ScriptedForge.h"

namespace ekaci::forge::testing {

// ScriptedForge with comments, reactions and merges, every call recorded: permissions per
// login, a head per pull request (a merge naming another head is refused with
// ForgeHeadChanged, as GitHub answers 409), commit times, merge settings, scripted merge
// errors.
class MergingForge : public ScriptedForge, public sdk::ForgeComments, public sdk::ForgeMerges {
 public:
  struct Said {
    std::string what;  // comment, react, merge, permission, commit-time, settings
    std::uint64_t number = 0;
    std::uint64_t commentId = 0;
    std::string text;  // comment text, reaction name, merge "method sha"
  };

  sdk::ForgeComments* comments() override { return this; }
  sdk::ForgeMerges* merges() override { return this; }

  sdk::Result<std::uint64_t> create(const sdk::ChangeRequestRef& cr, const std::string& markdown) override {
    std::lock_guard lock(mutex_);
    said.push_back({"comment", cr.number, 0, markdown});
    return static_cast<std::uint64_t>(9000 + said.size());
  }
  sdk::Result<void> edit(const sdk::ChangeRequestRef& cr, std::uint64_t commentId,
                         const std::string& markdown) override {
    std::lock_guard lock(mutex_);
    said.push_back({"edit", cr.number, commentId, markdown});
    if (deletedComments.count(commentId) != 0) return sdk::Error(sdk::ErrorCode::NotFound, "no such comment");
    return sdk::success();
  }
  sdk::Result<void> react(const sdk::ChangeRequestRef& cr, std::uint64_t commentId, sdk::Reaction reaction) override {
    std::lock_guard lock(mutex_);
    static const char* kNames[] = {"+1", "rocket", "-1", "confused"};
    said.push_back({"react", cr.number, commentId, kNames[static_cast<int>(reaction)]});
    return sdk::success();
  }
  sdk::Result<sdk::Permission> permissionOf(const sdk::RepositoryRef&, const std::string& user) override {
    std::lock_guard lock(mutex_);
    said.push_back({"permission", 0, 0, user});
    auto found = permissions.find(user);
    return found == permissions.end() ? sdk::Permission::None : found->second;
  }
  sdk::Result<sdk::MergeSettings> mergeSettings(const sdk::RepositoryRef&) override { return settings; }
  sdk::Result<std::int64_t> commitTime(const sdk::RepositoryRef&, const std::string& sha) override {
    std::lock_guard lock(mutex_);
    auto found = commitTimes.find(sha);
    if (found == commitTimes.end()) return sdk::Error(sdk::ErrorCode::NotFound, "no commit " + sha);
    return found->second;
  }
  sdk::Result<void> merge(const sdk::ChangeRequestRef& cr, sdk::MergeMethod method,
                          const std::string& expectedHeadSha) override {
    std::lock_guard lock(mutex_);
    static const char* kMethods[] = {"merge", "squash", "rebase"};
    said.push_back({"merge", cr.number, 0, std::string(kMethods[static_cast<int>(method)]) + " " + expectedHeadSha});
    if (!mergeErrors.empty()) {
      auto error = mergeErrors.front();
      mergeErrors.pop_front();
      return error;
    }
    if (auto head = heads.find(cr.number); head != heads.end() && head->second != expectedHeadSha) {
      return sdk::Error(sdk::ErrorCode::ForgeHeadChanged, "Head branch was modified");
    }
    return sdk::success();
  }

  std::vector<Said> of(const std::string& what) {
    std::lock_guard lock(mutex_);
    std::vector<Said> out;
    for (const auto& s : said) {
      if (s.what == what) out.push_back(s);
    }
    return out;
  }

  std::map<std::string, sdk::Permission> permissions;
  std::map<std::uint64_t, std::string> heads;
  std::map<std::string, std::int64_t> commitTimes;
  sdk::MergeSettings settings;
  std::deque<sdk::Error> mergeErrors;
  std::set<std::uint64_t> deletedComments;  // edits of these answer NotFound
  std::vector<Said> said;
};

}  // namespace ekaci::forge::testing
