#include "kernel/nix/BuildOutcome.h"

namespace ekaci::nix {

const char* toString(InterruptKind kind) {
  switch (kind) {
    case InterruptKind::OutOfMemory:
      return "out_of_memory";
    case InterruptKind::Timeout:
      return "timeout";
    case InterruptKind::Cancelled:
      return "cancelled";
    case InterruptKind::ProcessDeath:
      return "process_death";
    case InterruptKind::Unsatisfiable:
      return "unsatisfiable";
  }
  return "unknown";
}

}  // namespace ekaci::nix
