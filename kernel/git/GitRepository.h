#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/Result.h"

struct git_repository;

namespace ekaci::git {

// A bare mirror of a repository, kept in eka-ci's state directory and never in anybody's
// working tree. Fetches bring every ref (branches, tags, pull-request refs) with pruning.
// Commits are checked out into private directories (see Checkout).
//
// Threading: one instance per thread; libgit2 handles are not shared across threads.
class GitRepository {
 public:
  ~GitRepository();
  GitRepository(const GitRepository&) = delete;
  GitRepository& operator=(const GitRepository&) = delete;

  // Mirrors `url` (a local path, file://, https:// or ssh:// URL) into `mirrorDirectory`,
  // or opens and fetches the mirror when it already exists. `credentials` (a forge's
  // short-lived token) are handed to git when the remote asks, and are never written to the
  // mirror's configuration or to any URL.
  static sdk::Result<std::unique_ptr<GitRepository>> mirror(const std::string& url,
                                                            const std::filesystem::path& mirrorDirectory,
                                                            const sdk::CloneCredentials* credentials = nullptr);
  static sdk::Result<std::unique_ptr<GitRepository>> open(const std::filesystem::path& directory);

  sdk::Result<void> fetch(const sdk::CloneCredentials* credentials = nullptr);
  // Fetches the branches of another repository (a pull request's fork) into
  // refs/ekaci/fork/<n>/..., so that its commits can be resolved and checked out here.
  sdk::Result<void> fetchFrom(const std::string& url, const sdk::CloneCredentials* credentials = nullptr);

  // A full commit SHA for a revision: SHA, abbreviated SHA, branch, tag, "HEAD~2", ...
  sdk::Result<std::string> resolve(const std::string& revision);
  sdk::Result<std::string> mergeBase(const std::string& a, const std::string& b);
  // The source repository's default branch ("main"), as its HEAD named it at the last fetch.
  sdk::Result<std::string> defaultBranch();
  // The commit the source repository's HEAD pointed to at the last fetch (for a local
  // repository: what is checked out there now).
  const std::string& sourceHead() const noexcept { return sourceHead_; }

  // Writes the tree of `commit` into `directory` (which must not exist yet).
  sdk::Result<void> checkout(const std::string& commit, const std::filesystem::path& directory);

  // Paths added, modified, deleted or renamed between two commits (both sides of renames).
  sdk::Result<std::vector<std::string>> changedFiles(const std::string& from, const std::string& to);
  // Subject line of a commit message.
  sdk::Result<std::string> subject(const std::string& commit);

  const std::filesystem::path& directory() const noexcept { return directory_; }

 private:
  GitRepository(git_repository* repository, std::filesystem::path directory);
  git_repository* repository_;
  std::filesystem::path directory_;
  std::string sourceHead_;
  std::string sourceDefaultBranch_;  // "refs/heads/main", from the source's HEAD at the last fetch
};

}  // namespace ekaci::git
