#include "NixReadBuffer.h"

#include <dlfcn.h>

namespace ekaci::plugins::evaluators {

std::optional<std::filesystem::path> NixReadBuffer::library() {
  Dl_info info{};
  if (::dladdr(reinterpret_cast<const void*>(&NixReadBuffer::library), &info) == 0 || info.dli_fname == nullptr) {
    return std::nullopt;
  }
  std::error_code ec;
  const auto plugin = std::filesystem::canonical(info.dli_fname, ec);
  if (ec) return std::nullopt;
  auto candidate = plugin.parent_path().parent_path() / "nix-read-buffer.so";
  if (!std::filesystem::is_regular_file(candidate, ec)) return std::nullopt;
  return candidate;
}

}  // namespace ekaci::plugins::evaluators
