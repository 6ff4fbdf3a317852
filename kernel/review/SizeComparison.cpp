#include "kernel/review/SizeComparison.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace ekaci::review {
namespace {

// What ranks first: the largest closure change, a new package by its whole closure.
std::int64_t magnitude(const OutputSizeChange& change) {
  return change.base ? std::llabs(change.head.closureSize - change.base->closureSize) : change.head.closureSize;
}

// The outputs of one derivation, as stored with it (name -> path).
struct DrvOutputs {
  std::int64_t drvId = 0;
  std::vector<std::pair<std::string, std::string>> outputs;
};

}  // namespace

sdk::Result<std::vector<JobSizes>> SizeComparison::measure(const ReviewReport& report) {
  // 1. The outputs of every new or rebuilt package, at head and base.
  std::map<std::string, DrvOutputs> drvs;
  const auto outputsOf = [&](const std::string& drvPath) -> sdk::Result<const DrvOutputs*> {
    if (drvPath.empty()) return static_cast<const DrvOutputs*>(nullptr);
    if (auto it = drvs.find(drvPath); it != drvs.end()) return &it->second;
    auto found = storage_.findDrv(drvPath);
    if (!found) return found.error();
    DrvOutputs entry;
    if (*found) entry = DrvOutputs{(*found)->id, (*found)->outputs};
    return &(drvs[drvPath] = std::move(entry));
  };
  std::vector<std::string> paths;
  for (const auto& job : report.jobs) {
    for (const auto& change : job.changes) {
      if (change.change == ChangeClass::Removed || (change.change != ChangeClass::Added && !change.rebuild)) continue;
      for (const auto* drv : {&change.drvPath, &change.baseDrvPath}) {
        auto outputs = outputsOf(*drv);
        if (!outputs) return outputs.error();
        if (*outputs == nullptr) continue;
        for (const auto& [name, path] : (*outputs)->outputs) paths.push_back(path);
      }
    }
  }
  // 2. One measurement for all of them; what is gone from the store, from history.
  auto measured = info_.sizes(paths);
  if (!measured) return measured.error();
  std::vector<std::string> missing;
  for (const auto& path : paths) {
    if (measured->count(path) == 0) missing.push_back(path);
  }
  auto recorded = storage_.outputSizesOf(missing);
  if (!recorded) return recorded.error();
  std::map<std::string, nix::PathSizes> history;
  for (const auto& row : *recorded) history[row.storePath] = nix::PathSizes{row.narSize, row.closureSize};

  // 3. Compare, and record what was measured with the jobset it belongs to.
  std::vector<JobSizes> out;
  for (const auto& job : report.jobs) {
    JobSizes sizes;
    sizes.job = job.job;
    sizes.limitPercent = job.sizeLimitPercent;
    std::vector<storage::OutputSizeRecord> headRows, baseRows;
    std::set<std::string> seen;
    for (const auto& change : job.changes) {
      if (change.change == ChangeClass::Removed || (change.change != ChangeClass::Added && !change.rebuild)) continue;
      const DrvOutputs* head = drvs[change.drvPath].drvId != 0 ? &drvs[change.drvPath] : nullptr;
      if (head == nullptr || !seen.insert(change.attr).second) continue;
      const DrvOutputs* base =
          !change.baseDrvPath.empty() && drvs[change.baseDrvPath].drvId != 0 ? &drvs[change.baseDrvPath] : nullptr;
      for (const auto& [name, path] : head->outputs) {
        auto size = measured->find(path);
        if (size == measured->end()) {
          ++sizes.notInStore;
          continue;
        }
        OutputSizeChange entry;
        entry.attr = change.attr;
        entry.added = change.change == ChangeClass::Added;
        entry.output = name;
        entry.headPath = path;
        entry.head = size->second;
        headRows.push_back({head->drvId, name, path, size->second.narSize, size->second.closureSize, now_});
        if (base != nullptr) {
          for (const auto& [baseName, basePath] : base->outputs) {
            if (baseName != name) continue;
            if (auto b = measured->find(basePath); b != measured->end()) {
              entry.base = b->second;
              baseRows.push_back({base->drvId, baseName, basePath, b->second.narSize, b->second.closureSize, now_});
            } else if (auto h = history.find(basePath); h != history.end()) {
              entry.base = h->second;
              entry.baseFromHistory = true;
            }
          }
        }
        sizes.outputs.push_back(std::move(entry));
      }
    }
    std::stable_sort(sizes.outputs.begin(), sizes.outputs.end(),
                     [](const OutputSizeChange& a, const OutputSizeChange& b) { return magnitude(a) > magnitude(b); });
    if (job.headJobsetId != 0 && !headRows.empty()) {
      if (auto ok = storage_.recordOutputSizes(job.headJobsetId, headRows); !ok) return ok.error();
    }
    if (job.baseJobsetId != 0 && !baseRows.empty()) {
      if (auto ok = storage_.recordOutputSizes(job.baseJobsetId, baseRows); !ok) return ok.error();
    }
    out.push_back(std::move(sizes));
  }
  return out;
}

}  // namespace ekaci::review
