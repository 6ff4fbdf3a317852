#include "FlakeChecksEvaluator.h"

#include <sys/utsname.h>

#include <filesystem>

namespace ekaci::plugins::evaluators {

std::string FlakeChecksEvaluator::hostSystem() {
  struct utsname name {};
  if (::uname(&name) != 0) return "x86_64-linux";
  std::string machine = name.machine;
  if (machine == "arm64") machine = "aarch64";
  return machine + "-linux";
}

sdk::Result<sdk::EvalSummary> FlakeChecksEvaluator::evaluate(const sdk::EvalRequest& request,
                                                             const sdk::EvalSink& sink) {
  auto flakeFile = std::filesystem::path(request.checkoutDirectory) / request.file;
  if (flakeFile.filename() != "flake.nix") flakeFile /= "flake.nix";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(flakeFile, ec)) {
    return sdk::Error(sdk::ErrorCode::NotFound, "no flake.nix at " + request.file + " in the checkout");
  }
  std::vector<std::string> systems = request.systems;
  if (systems.empty()) systems.push_back(hostSystem());
  std::vector<NixBatchEvaluator::Root> roots;
  for (const auto& system : systems) {
    roots.push_back({{"checks", system}, "checks." + system});
    if (includePackages_) roots.push_back({{"packages", system}, "packages." + system});
  }
  return batch_.evaluate(request, "flake", flakeFile.parent_path().string(), roots, sink);
}

}  // namespace ekaci::plugins::evaluators
