#pragma once

#include <string>

#include "kernel/nix/Derivation.h"

namespace ekaci::nix {

// Writes a Derivation in Nix's ATerm format, escaping strings as Nix does (\" \\ \n \r \t).
// parse(write(d)) == d for every derivation: the fuzz target checks it.
class DerivationWriter {
 public:
  static std::string write(const Derivation& drv);
};

bool operator==(const DerivationOutput& a, const DerivationOutput& b);
bool operator==(const Derivation& a, const Derivation& b);

}  // namespace ekaci::nix
