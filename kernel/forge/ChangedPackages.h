#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/Result.h"
#include "kernel/review/ReviewReport.h"

namespace ekaci::forge {

// A package a pull request changes, for asking its maintainers.
struct ChangedPackage {
  std::string attr;
  std::string why;                       // added, version-bump, renamed, rebuild
  std::vector<std::string> maintainers;  // meta.maintainers of the base (merged code), never the head's
};

// The packages a review says a pull request changes: added, version bumps, renames, and
// rebuilds of packages whose own derivation changed (not those that only rebuild because a
// dependency did), so that maintainers are asked only about what they maintain. Maintainers
// come from the base evaluation: the pull request's author controls the head's meta and
// could otherwise name themselves maintainer of what they change.
class ChangedPackages {
 public:
  static std::vector<ChangedPackage> of(const review::ReviewReport& report);
  // Base maintainers of every package the review saw in the base, for the maintainers table.
  static std::vector<std::pair<std::string, std::vector<std::string>>> baseMaintainers(
      const review::ReviewReport& report);

  static std::string encode(const std::vector<ChangedPackage>& packages);
  static sdk::Result<std::vector<ChangedPackage>> decode(const std::string& json);
};

}  // namespace ekaci::forge
