#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "ekaci/sdk/Result.h"
#include "kernel/git/GitRepository.h"

namespace ekaci::git {

// Private directories holding checked-out commits, under <state>/checkouts/. Each checkout
// is removed when its handle goes away; a checkout left behind by a process that died is
// removed by prune() (its directory name carries the owner's pid).
class CheckoutArea {
 public:
  class Checkout {
   public:
    Checkout(std::filesystem::path directory, std::string commit)
        : directory_(std::move(directory)), commit_(std::move(commit)) {}
    ~Checkout();
    Checkout(const Checkout&) = delete;
    Checkout& operator=(const Checkout&) = delete;
    const std::filesystem::path& directory() const noexcept { return directory_; }
    const std::string& commit() const noexcept { return commit_; }

   private:
    std::filesystem::path directory_;
    std::string commit_;
  };

  explicit CheckoutArea(std::filesystem::path root) : root_(std::move(root)) {}

  // Checks `commit` out of `repository` into a fresh directory.
  sdk::Result<std::unique_ptr<Checkout>> checkout(GitRepository& repository, const std::string& commit);
  // Removes checkouts whose owning process is gone; returns how many.
  std::size_t prune();

 private:
  std::filesystem::path root_;
  std::atomic<std::uint64_t> counter_{0};
};

}  // namespace ekaci::git
