#include "kernel/git/CheckoutArea.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

namespace ekaci::git {

CheckoutArea::Checkout::~Checkout() {
  std::error_code ec;
  std::filesystem::remove_all(directory_, ec);
}

sdk::Result<std::unique_ptr<CheckoutArea::Checkout>> CheckoutArea::checkout(GitRepository& repository,
                                                                             const std::string& commit) {
  auto sha = repository.resolve(commit);
  if (!sha) return std::move(sha).error();
  const std::string name = std::to_string(::getpid()) + "-" + std::to_string(counter_++) + "-" + sha->substr(0, 12);
  auto directory = root_ / name;
  auto done = repository.checkout(*sha, directory);
  if (!done) {
    std::error_code ec;
    std::filesystem::remove_all(directory, ec);
    return std::move(done).error();
  }
  return std::make_unique<Checkout>(directory, *sha);
}

std::size_t CheckoutArea::prune() {
  std::size_t removed = 0;
  std::error_code ec;
  if (!std::filesystem::is_directory(root_, ec)) return 0;
  for (const auto& entry : std::filesystem::directory_iterator(root_, ec)) {
    const std::string name = entry.path().filename().string();
    const auto dash = name.find('-');
    if (dash == std::string::npos) continue;
    pid_t owner = 0;
    try {
      owner = static_cast<pid_t>(std::stol(name.substr(0, dash)));
    } catch (const std::exception&) {
      continue;
    }
    const bool alive = owner > 0 && (::kill(owner, 0) == 0 || errno == EPERM);
    if (alive && owner != ::getpid()) continue;
    if (owner == ::getpid()) continue;  // ours: removed by their handles
    std::filesystem::remove_all(entry.path(), ec);
    ++removed;
  }
  return removed;
}

}  // namespace ekaci::git
