#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "kernel/nix/BuilderSpec.h"
#include "kernel/scheduler/SchedulerConfig.h"

namespace ekaci::scheduler {

// What a derivation needs from a builder.
struct BuildRequirements {
  std::string system;
  std::vector<std::string> features;
  bool fixedOutput = false;
  bool preferLocal = false;
};

// The builders and their capacity: this machine's general slots (max_jobs), its separate
// fixed-output slots, and the remote machines with their health. Routing:
//   fixed-output          -> the fixed-output slots (then as any other derivation)
//   preferLocalBuild      -> this machine when it can build it
//   otherwise             -> the capable builder with free capacity and the best
//                            speed factor per running build; remote only when healthy
// A derivation no configured builder could ever take is unsatisfiable; one whose capable
// builders are all busy or down waits.
//
// Threading: not synchronised; the scheduler calls it under its own lock.
class BuilderPool {
 public:
  enum class Verdict { Assigned, Busy, Unsatisfiable };
  struct Route {
    Verdict verdict = Verdict::Busy;
    std::size_t builder = 0;
    std::string reason;  // Unsatisfiable: why, naming what the builders offer
  };

  BuilderPool(const SchedulerConfig& config, const std::string& hostSystem);

  Route route(const BuildRequirements& needs) const;
  void acquire(std::size_t builder) { ++slots_[builder].active; }
  void release(std::size_t builder) {
    if (slots_[builder].active > 0) --slots_[builder].active;
  }
  void setHealthy(std::size_t builder, bool healthy) { slots_[builder].healthy = healthy; }

  std::size_t size() const noexcept { return slots_.size(); }
  const nix::BuilderSpec& spec(std::size_t builder) const { return slots_[builder].spec; }
  std::size_t active(std::size_t builder) const { return slots_[builder].active; }
  bool healthy(std::size_t builder) const { return slots_[builder].healthy; }

 private:
  struct Slot {
    nix::BuilderSpec spec;
    std::size_t active = 0;
    bool healthy = true;
  };
  bool hasRoom(const Slot& slot) const { return slot.healthy && slot.active < slot.spec.maxJobs; }

  std::vector<Slot> slots_;  // [0] local, [1] local fixed-output, then remote machines
};

}  // namespace ekaci::scheduler
