#include "kernel/review/JobsetDiff.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace ekaci::review {
namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::string outputsKey(const sdk::EvalItem& item) {
  std::vector<std::string> paths;
  for (const auto& [name, path] : item.outputs) paths.push_back(path);
  std::sort(paths.begin(), paths.end());
  std::string key;
  for (const auto& p : paths) key += p + "\n";
  return key;
}

void fillFromHead(PackageChange& change, const sdk::EvalItem& head) {
  change.attr = head.attrPath;
  change.pname = head.meta.pname;
  change.newVersion = head.meta.version;
  change.system = head.system;
  change.drvPath = head.drvPath;
  change.newLicenses = head.meta.licenses;
  change.newMaintainers = head.meta.maintainers;
}

void fillFromBase(PackageChange& change, const sdk::EvalItem& base) {
  change.oldVersion = base.meta.version;
  change.baseDrvPath = base.drvPath;
  change.oldLicenses = base.meta.licenses;
  change.oldMaintainers = base.meta.maintainers;
  if (change.pname.empty()) change.pname = base.meta.pname;
}

// True when `field` of the item's metadata failed to evaluate (a "meta.<field>: ..." warning).
bool metaFailed(const sdk::EvalItem& item, const std::string& field) {
  const std::string prefix = "meta." + field + ":";
  return std::any_of(item.meta.warnings.begin(), item.meta.warnings.end(),
                     [&](const std::string& w) { return w.rfind(prefix, 0) == 0; });
}

void compareMeta(PackageChange& change) {
  change.licenseChanged = sorted(change.oldLicenses) != sorted(change.newLicenses);
  change.maintainersChanged = sorted(change.oldMaintainers) != sorted(change.newMaintainers);
}

}  // namespace

void JobsetDiff::compute(const std::vector<sdk::EvalItem>& base, const std::vector<sdk::EvalItem>& head,
                         JobReview& review) {
  std::unordered_map<std::string, const sdk::EvalItem*> baseByAttr, headByAttr;
  std::unordered_set<std::string> baseOutputs;
  for (const auto& item : base) {
    baseByAttr[item.attrPath] = &item;
    for (const auto& [name, path] : item.outputs) baseOutputs.insert(path);
  }
  for (const auto& item : head) headByAttr[item.attrPath] = &item;

  std::vector<PackageChange> added, removed;
  std::map<std::string, std::size_t> rebuildsBySystem;

  for (const auto& item : head) {
    auto baseIt = baseByAttr.find(item.attrPath);
    const sdk::EvalItem* old = baseIt == baseByAttr.end() ? nullptr : baseIt->second;
    if (item.error) {
      EvalErrorEntry entry{item.attrPath, old != nullptr && old->error ? EvalErrorChange::Still : EvalErrorChange::New,
                           *item.error};
      review.evalErrors.push_back(std::move(entry));
      continue;
    }
    bool rebuild = false;
    for (const auto& [name, path] : item.outputs) rebuild = rebuild || baseOutputs.count(path) == 0;
    if (rebuild) ++rebuildsBySystem[item.system];
    PackageChange change;
    fillFromHead(change, item);
    change.rebuild = rebuild;
    if (old == nullptr || old->error) {
      if (old != nullptr) review.evalErrors.push_back({item.attrPath, EvalErrorChange::Fixed, *old->error});
      change.change = ChangeClass::Added;
      added.push_back(std::move(change));
      continue;
    }
    fillFromBase(change, *old);
    compareMeta(change);
    // Metadata that failed to evaluate on either side is unknown there, not changed.
    if (metaFailed(item, "licenses") || metaFailed(*old, "licenses")) change.licenseChanged = false;
    if (metaFailed(item, "maintainers") || metaFailed(*old, "maintainers")) change.maintainersChanged = false;
    if (!rebuild) {
      change.change = ChangeClass::Unchanged;
    } else if (!change.oldVersion.empty() && change.oldVersion != change.newVersion) {
      change.change = ChangeClass::VersionBump;
    } else {
      change.change = ChangeClass::RebuildOnly;
    }
    if (change.change == ChangeClass::Unchanged && !change.licenseChanged && !change.maintainersChanged) {
      ++review.counts.unchanged;
      continue;
    }
    review.changes.push_back(std::move(change));
  }
  for (const auto& item : base) {
    if (headByAttr.count(item.attrPath) != 0) continue;
    if (item.error) {
      review.evalErrors.push_back({item.attrPath, EvalErrorChange::Fixed, *item.error + " (attribute removed)"});
      continue;
    }
    PackageChange change;
    change.attr = item.attrPath;
    change.change = ChangeClass::Removed;
    change.pname = item.meta.pname;
    change.oldVersion = item.meta.version;
    change.system = item.system;
    change.drvPath = item.drvPath;
    change.oldLicenses = item.meta.licenses;
    change.oldMaintainers = item.meta.maintainers;
    removed.push_back(std::move(change));
  }

  // Renames: same outputs first, then the same pname and version (each used once).
  std::vector<bool> removedUsed(removed.size(), false);
  auto pair = [&](PackageChange& add, std::size_t r) {
    const PackageChange& gone = removed[r];
    removedUsed[r] = true;
    add.change = ChangeClass::Renamed;
    add.oldAttr = gone.attr;
    add.oldVersion = gone.oldVersion;
    add.oldLicenses = gone.oldLicenses;
    add.oldMaintainers = gone.oldMaintainers;
    compareMeta(add);
  };
  std::unordered_map<std::string, std::size_t> removedByOutputs;
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> removedByName;
  for (std::size_t r = 0; r < removed.size(); ++r) {
    const sdk::EvalItem& item = *baseByAttr.at(removed[r].attr);
    removedByOutputs.emplace(outputsKey(item), r);
    if (!removed[r].pname.empty()) removedByName[{removed[r].pname, removed[r].oldVersion}].push_back(r);
  }
  for (auto& add : added) {
    auto it = removedByOutputs.find(outputsKey(*headByAttr.at(add.attr)));
    if (it != removedByOutputs.end() && !removedUsed[it->second]) pair(add, it->second);
  }
  for (auto& add : added) {
    if (add.change != ChangeClass::Added || add.pname.empty()) continue;
    auto it = removedByName.find({add.pname, add.newVersion});
    if (it == removedByName.end()) continue;
    for (std::size_t r : it->second) {
      if (!removedUsed[r]) {
        pair(add, r);
        break;
      }
    }
  }
  for (auto& add : added) review.changes.push_back(std::move(add));
  for (std::size_t r = 0; r < removed.size(); ++r) {
    if (!removedUsed[r]) review.changes.push_back(std::move(removed[r]));
  }

  for (const auto& change : review.changes) {
    switch (change.change) {
      case ChangeClass::Added:
        ++review.counts.added;
        break;
      case ChangeClass::Removed:
        ++review.counts.removed;
        break;
      case ChangeClass::VersionBump:
        ++review.counts.versionBumps;
        break;
      case ChangeClass::Renamed:
        ++review.counts.renamed;
        break;
      case ChangeClass::RebuildOnly:
        ++review.counts.rebuildOnly;
        break;
      case ChangeClass::Unchanged:
        ++review.counts.unchanged;
        break;
    }
    if (change.licenseChanged) ++review.counts.licenseChanges;
    if (change.maintainersChanged) ++review.counts.maintainerChanges;
  }
  for (const auto& error : review.evalErrors) {
    if (error.change == EvalErrorChange::New) ++review.counts.newErrors;
    if (error.change == EvalErrorChange::Fixed) ++review.counts.fixedErrors;
    if (error.change == EvalErrorChange::Still) ++review.counts.stillFailing;
  }
  std::sort(review.changes.begin(), review.changes.end(),
            [](const PackageChange& a, const PackageChange& b) { return a.attr < b.attr; });
  std::sort(review.evalErrors.begin(), review.evalErrors.end(), [](const EvalErrorEntry& a, const EvalErrorEntry& b) {
    return a.change != b.change ? a.change < b.change : a.attr < b.attr;
  });
  std::set<std::string> systems;
  for (const auto& item : head) {
    if (!item.error) systems.insert(item.system);
  }
  for (const auto& system : systems) {
    std::size_t count = rebuildsBySystem.count(system) ? rebuildsBySystem[system] : 0;
    review.rebuilds.push_back({system, count, rebuildBucket(count)});
  }
}

}  // namespace ekaci::review
