#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ekaci::nix {

struct DerivationOutput {
  std::string name;
  std::string path;      // empty for content-addressed outputs that are not yet known
  std::string hashAlgo;  // set for fixed-output derivations ("sha256", "r:sha256")
  std::string hash;
};

// A parsed .drv file (Nix's ATerm "Derive(...)" format), plus what eka-ci derives from it.
struct Derivation {
  std::vector<DerivationOutput> outputs;
  std::vector<std::pair<std::string, std::vector<std::string>>> inputDrvs;  // drv path -> outputs
  std::vector<std::string> inputSrcs;
  std::string platform;  // "system"
  std::string builder;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;

  const std::string* envValue(std::string_view name) const;
  // A fixed-output derivation: one output with a known hash (fetchers). Its output path does
  // not change when only how it is fetched changes.
  bool isFixedOutput() const;
  // From `requiredSystemFeatures`, in the plain environment or in `__json` structured attrs.
  std::vector<std::string> requiredSystemFeatures() const;
  bool preferLocalBuild() const;
  // The package name: the store path name without the ".drv" suffix is not known here, so
  // this is the `name` / `pname` attribute when present.
  std::optional<std::string> attribute(std::string_view name) const;
};

}  // namespace ekaci::nix
