#include "kernel/scheduler/BuilderPool.h"

namespace ekaci::scheduler {
namespace {

std::string describe(const nix::BuilderSpec& spec) {
  std::string systems, features;
  for (const auto& s : spec.systems) systems += (systems.empty() ? "" : ",") + s;
  for (const auto& f : spec.supportedFeatures) features += (features.empty() ? "" : ",") + f;
  for (const auto& f : spec.mandatoryFeatures) features += (features.empty() ? "" : ",") + f + "(mandatory)";
  return spec.name + " [" + systems + (features.empty() ? "" : "; " + features) + "]";
}

}  // namespace

BuilderPool::BuilderPool(const SchedulerConfig& config, const std::string& hostSystem) {
  nix::BuilderSpec local;
  local.name = "local";
  local.kind = nix::BuilderKind::Local;
  local.systems = config.localSystems.empty() ? std::vector<std::string>{hostSystem} : config.localSystems;
  local.maxJobs = config.localMaxJobs;
  local.supportedFeatures = config.localFeatures;
  nix::BuilderSpec fod = local;
  fod.name = "local-fixed-output";
  fod.kind = nix::BuilderKind::FixedOutput;
  fod.maxJobs = config.fixedOutputMaxJobs;
  slots_.push_back(Slot{std::move(local)});
  slots_.push_back(Slot{std::move(fod)});
  for (const auto& remote : config.remoteBuilders) slots_.push_back(Slot{remote});
}

BuilderPool::Route BuilderPool::route(const BuildRequirements& needs) const {
  bool capable = false;
  if (needs.fixedOutput && slots_[1].spec.maxJobs > 0 && slots_[1].spec.canBuild(needs.system, needs.features)) {
    if (hasRoom(slots_[1])) return Route{Verdict::Assigned, 1, {}};
    capable = true;
  }
  if (needs.preferLocal && slots_[0].spec.maxJobs > 0 && slots_[0].spec.canBuild(needs.system, needs.features)) {
    if (hasRoom(slots_[0])) return Route{Verdict::Assigned, 0, {}};
    return Route{Verdict::Busy, 0, {}};
  }
  double bestScore = -1;
  std::size_t best = 0;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (i == 1) continue;  // fixed-output slots take fixed-output derivations only
    const Slot& slot = slots_[i];
    if (slot.spec.maxJobs == 0 || !slot.spec.canBuild(needs.system, needs.features)) continue;
    capable = true;
    if (!hasRoom(slot)) continue;
    const double score = static_cast<double>(slot.spec.speedFactor) / static_cast<double>(slot.active + 1);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  if (bestScore >= 0) return Route{Verdict::Assigned, best, {}};
  if (capable) return Route{Verdict::Busy, 0, {}};
  std::string features;
  for (const auto& f : needs.features) features += (features.empty() ? "" : ",") + f;
  std::string offered;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (i == 1 || slots_[i].spec.maxJobs == 0) continue;
    offered += (offered.empty() ? "" : "; ") + describe(slots_[i].spec);
  }
  return Route{Verdict::Unsatisfiable, 0,
               "no builder can build system " + needs.system + (features.empty() ? "" : " with features " + features) +
                   " (builders: " + offered + ")"};
}

}  // namespace ekaci::scheduler
