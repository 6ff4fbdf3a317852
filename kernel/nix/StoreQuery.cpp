#include "kernel/nix/StoreQuery.h"
#include "kernel/nix/NixEnvironment.h"

#include <sstream>

namespace ekaci::nix {
namespace {

constexpr std::size_t kBatch = 2000;  // roots per nix-store call (argument length)

}  // namespace

std::set<std::string> StoreQuery::parseDryRun(const std::string& output, std::set<std::string>* unknown) {
  std::set<std::string> out;
  std::istringstream lines(output);
  std::string line;
  bool inBuilt = false, inUnknown = false;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("  ", 0) == 0) {
      const std::string path = line.substr(line.find_first_not_of(' '));
      if (inUnknown && unknown != nullptr) unknown->insert(path);
      if (!inBuilt) continue;
      if (path.size() > 4 && path.compare(path.size() - 4, 4, ".drv") == 0) out.insert(path);
      continue;
    }
    inBuilt = line.find("will be built") != std::string::npos;
    inUnknown = line.find("don't know how to build") != std::string::npos;
  }
  return out;
}

sdk::Result<std::set<std::string>> StoreQuery::derivationsToBuild(const std::vector<std::string>& roots) const {
  std::set<std::string> out;
  for (std::size_t start = 0; start < roots.size(); start += kBatch) {
    sdk::ProcessSpec spec;
    spec.argv = {nix_.nixStoreProgram, "--realise", "--dry-run"};
    for (const auto& [name, value] : nix_.options) spec.argv.insert(spec.argv.end(), {"--option", name, value});
    const std::size_t end = std::min(roots.size(), start + kBatch);
    spec.argv.insert(spec.argv.end(), roots.begin() + static_cast<std::ptrdiff_t>(start),
                     roots.begin() + static_cast<std::ptrdiff_t>(end));
    spec.environment = NixEnvironment(nix_.passEnvironment).variables();
    spec.timeout = std::chrono::minutes(10);
    auto result = processes_.run(spec);
    if (!result) return result.error();
    if (!result->succeeded()) {
      std::string text = result->stderrText;
      if (text.size() > 2000) text = text.substr(0, 2000) + "...";
      return sdk::Error(sdk::ErrorCode::ProcessKilled, "nix-store --realise --dry-run failed: " + text);
    }
    std::set<std::string> unknown;
    auto part = parseDryRun(result->stderrText + "\n" + result->stdoutText, &unknown);
    if (!unknown.empty()) {
      return sdk::Error(sdk::ErrorCode::NotFound,
                        "not in the Nix store (evaluate again?): " + *unknown.begin() +
                            (unknown.size() > 1 ? " and " + std::to_string(unknown.size() - 1) + " more" : ""));
    }
    out.insert(part.begin(), part.end());
  }
  return out;
}

}  // namespace ekaci::nix
