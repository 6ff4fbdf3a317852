// .ekaci/config.json comes from pull requests: whatever it says, an accepted configuration
// only names files inside the checkout, caches the server defines and allowed hooks.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "kernel/config/RepoConfigReader.h"

namespace {
const std::filesystem::path& checkout() {
  static const std::filesystem::path dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "ekaci-fuzz-checkout-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    std::filesystem::path d(pattern);
    std::ofstream(d / "default.nix") << "{ }: { }";
    std::filesystem::create_directories(d / "pkgs");
    std::ofstream(d / "pkgs" / "a.nix") << "{ }";
    std::filesystem::create_symlink("/etc", d / "escape");
    return d;
  }();
  return dir;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ekaci::config::RepoConfigReader reader({{"cache-a"}, {"nix"}});
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto config = reader.parse(text, ".ekaci/config.json", checkout());
  if (!config) {
    if (config.error().message().empty()) std::abort();
    return 0;
  }
  for (const auto& job : config->jobs) {
    const std::filesystem::path file(job.file);
    if (file.is_absolute() || job.file.find("..") != std::string::npos || job.file.rfind("escape", 0) == 0) std::abort();
    for (const auto& cache : job.caches) {
      if (cache != "cache-a") std::abort();
    }
    for (const auto& hook : job.postBuildHooks) {
      if (hook.command.empty() || hook.command.front() != "nix") std::abort();
    }
  }
  return 0;
}
