#include "kernel/nix/BuilderSpec.h"

#include <algorithm>

namespace ekaci::nix {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string joinedOrDash(const std::vector<std::string>& list) {
  if (list.empty()) return "-";
  std::string out;
  for (const auto& item : list) out += (out.empty() ? "" : ",") + item;
  return out;
}

}  // namespace

bool BuilderSpec::canBuild(const std::string& system, const std::vector<std::string>& features) const {
  if (!contains(systems, system)) return false;
  for (const auto& feature : features) {
    if (!contains(supportedFeatures, feature) && !contains(mandatoryFeatures, feature)) return false;
  }
  for (const auto& mandatory : mandatoryFeatures) {
    if (!contains(features, mandatory)) return false;
  }
  return true;
}

std::string BuilderSpec::machinesLine() const {
  return uri + " " + joinedOrDash(systems) + " " + (sshKey.empty() ? "-" : sshKey) + " " + std::to_string(maxJobs) +
         " " + std::to_string(speedFactor) + " " + joinedOrDash(supportedFeatures) + " " +
         joinedOrDash(mandatoryFeatures) + " " + (publicHostKey.empty() ? "-" : publicHostKey);
}

const char* toString(BuilderKind kind) {
  switch (kind) {
    case BuilderKind::Local:
      return "local";
    case BuilderKind::FixedOutput:
      return "fixed-output";
    case BuilderKind::Remote:
      return "remote";
  }
  return "unknown";
}

}  // namespace ekaci::nix
