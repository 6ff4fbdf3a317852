#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ekaci::config {

// A repository's .ekaci/config.json (or .eka-ci/config.json), validated. Untrusted: by the
// time it is a RepoConfig, every path is inside the checkout, every cache id exists on the
// server and every hook command is on the server's allow-list.

struct HookConfig {
  std::string name;
  std::vector<std::string> command;
  std::vector<std::pair<std::string, std::string>> env;
};

struct SizeCheckConfig {
  double maxIncreasePercent = 0;
  std::string baseBranch = "main";
};

struct JobConfig {
  std::string name;
  std::string file;      // relative to the checkout, normalised, no ".."
  std::string attrPath;  // optional
  std::string evaluator = "legacy";  // "legacy" or "flake-checks"
  bool allowEvalFailures = false;
  std::vector<std::string> caches;
  std::optional<SizeCheckConfig> sizeCheck;
  std::vector<HookConfig> postBuildHooks;
  std::vector<HookConfig> fodPostBuildHooks;
};

struct CheckConfig {
  std::string name;
  std::string shell;
  std::string command;
  bool allowNetwork = false;
  std::vector<std::string> roBind;  // relative to the checkout
};

struct PackageChangeSummaryConfig {
  bool enabled = true;
  std::int64_t maxPackagesListed = 100;
  bool includeRebuildOnly = false;
};

struct RebuildImpactConfig {
  bool enabled = true;
  std::int64_t maxTopBlastRadius = 5;
  bool computeFullBlastRadius = false;
};

enum class ChangeKind { DocsOnly, NoOp, RebuildOnly, Full };

struct ChangeSetRule {
  std::vector<std::string> paths;  // globs: '*' within a path segment, '**' across segments
  ChangeKind kind = ChangeKind::Full;
};

struct RepoConfig {
  std::string sourceFile;  // ".ekaci/config.json", ".eka-ci/config.json", or "" for the default
  std::vector<JobConfig> jobs;
  std::vector<CheckConfig> checks;
  PackageChangeSummaryConfig packageChangeSummary;
  RebuildImpactConfig rebuildImpact;
  std::vector<ChangeSetRule> changeSets;
  std::vector<std::string> warnings;  // unknown keys and other things worth fixing
};

}  // namespace ekaci::config
