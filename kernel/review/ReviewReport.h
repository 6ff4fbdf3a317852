#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <vector>
#include "kernel/config/RepoConfig.h"

#include "kernel/review/BuildResults.h"
#include "kernel/review/SizeResults.h"

namespace ekaci::review {

// How a package differs between base and head.
enum class ChangeClass { Added, Removed, VersionBump, Renamed, RebuildOnly, Unchanged };
enum class EvalErrorChange { New, Fixed, Still };

const char* toString(ChangeClass change);
const char* toString(EvalErrorChange change);

struct PackageChange {
  std::string attr;
  std::string oldAttr;  // Renamed: the attribute in base
  ChangeClass change = ChangeClass::Unchanged;
  bool rebuild = false;  // some output path of head is not in the base evaluation
  std::string pname;
  std::string oldVersion;
  std::string newVersion;
  std::string system;
  std::string drvPath;      // head (base for Removed)
  std::string baseDrvPath;  // base, when the attribute exists there
  bool licenseChanged = false;
  std::vector<std::string> oldLicenses, newLicenses;
  bool maintainersChanged = false;
  std::vector<std::string> oldMaintainers, newMaintainers;
  std::size_t dependentJobs = 0;         // head jobs that depend on it (blast radius)
  std::size_t dependentDerivations = 0;  // every dependent derivation (full mode only)
  // Another rebuilt package of the job is among its dependencies: it rebuilds because of that
  // one (and maybe also of itself). Unknown (false) beyond the blast radius's seed limit.
  bool dependencyRebuilt = false;
};

struct EvalErrorEntry {
  std::string attr;
  EvalErrorChange change = EvalErrorChange::New;
  std::string message;  // head's message (base's for Fixed)
};

struct SystemRebuilds {
  std::string system;
  std::size_t count = 0;
  std::string bucket;  // nixpkgs' labels: "0", "1-10", "11-100", ... "5001+"
};

struct ChangeCounts {
  std::size_t added = 0, removed = 0, versionBumps = 0, renamed = 0, rebuildOnly = 0, unchanged = 0;
  std::size_t licenseChanges = 0, maintainerChanges = 0;
  std::size_t newErrors = 0, fixedErrors = 0, stillFailing = 0;
};

struct JobReview {
  std::string job;
  std::string evaluator;
  bool allowEvalFailures = false;
  std::optional<double> sizeLimitPercent;  // size_check.max_increase_percent
  std::optional<std::string> baseFailure;  // the whole evaluation failed
  std::optional<std::string> headFailure;
  std::size_t baseAttributes = 0, headAttributes = 0;
  bool baseFromCache = false, headFromCache = false;
  std::int64_t baseJobsetId = 0, headJobsetId = 0;  // as stored
  std::vector<PackageChange> changes;               // everything but unchanged packages without meta changes
  std::vector<EvalErrorEntry> evalErrors;
  // Head jobs whose metadata (meta.*, passthru.tests) failed to evaluate while the derivation
  // did: still jobs, built and compared like any other. Attr -> "meta.<field>: <why>" lines.
  std::vector<std::pair<std::string, std::vector<std::string>>> metadataWarnings;
  ChangeCounts counts;
  std::vector<SystemRebuilds> rebuilds;
  std::vector<std::string> topBlastRadius;  // attrs, largest first (indexes into changes by name)
  bool fullBlastRadius = false;
  std::size_t graphNodes = 0, graphEdges = 0;
  bool graphTruncated = false;
  std::vector<std::pair<std::string, std::string>> unreadableDerivations;
  std::int64_t baseEvalMillis = 0, headEvalMillis = 0, impactMillis = 0;
  std::vector<std::string> notes;  // approximations and limits the reader should know about
  // After its builds (the repository's configuration of the job): server cache ids, hooks.
  std::vector<std::string> caches;
  std::vector<config::HookConfig> postBuildHooks, fodPostBuildHooks;

  // The job is fine to merge as far as evaluation goes.
  bool clean() const;
};

// How the repository asked the review to be shown (package_change_summary, rebuild_impact).
struct Presentation {
  bool packageChanges = true;
  std::size_t maxPackagesListed = 100;
  bool includeRebuildOnly = false;
  bool rebuildImpact = true;
};

// The one model of a review: what evaluation found and, when the review built, what the
// builds and the size measurements found. Every rendering (Markdown, JSON, forge reports)
// is made from it; nothing is added to a rendering afterwards.
struct ReviewReport {
  std::string repository;
  std::string baseRevision, headRevision;  // as asked
  std::string baseSha, headSha;
  std::string baseSubject, headSubject;
  std::vector<std::string> changedFiles;
  std::string skippedBecause;  // non-empty: change sets made evaluation unnecessary
  std::vector<JobReview> jobs;
  std::vector<std::string> warnings;
  std::int64_t totalMillis = 0;
  Presentation presentation;
  // Set when the review built its new and changed packages.
  std::optional<std::vector<JobBuildResults>> builds;
  std::optional<std::vector<JobSizes>> sizes;
  std::string sizesUnavailable;  // why sizes were not measured although builds ran

  // Evaluation is fine to merge: no job fails to evaluate and no error is new (or allowed).
  bool clean() const;
  // Nothing newly fails to build and every build ended (true when nothing was built).
  bool buildsClean() const;
  std::size_t newlyFailingBuilds() const;
};

// nixpkgs' rebuild-count labels.
std::string rebuildBucket(std::size_t count);

}  // namespace ekaci::review
