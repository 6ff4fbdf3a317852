#include "kernel/review/SizeComparison.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include "kernel/review/JsonRenderer.h"
#include "kernel/review/MarkdownRenderer.h"

namespace ekaci::review {
namespace {

// 687.5 -> "+687.5 %"
std::string percent(double value) {
  std::ostringstream out;
  out << std::showpos << std::fixed << std::setprecision(1) << value << " %";
  return out.str();
}

// 50 -> "50 %", 0.5 -> "0.5 %"
std::string limitText(double value) {
  std::ostringstream out;
  out << value << " %";
  return out.str();
}

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

std::optional<double> OutputSizeChange::closurePercent() const {
  if (!base || base->closureSize <= 0) return std::nullopt;
  return 100.0 * static_cast<double>(head.closureSize - base->closureSize) / static_cast<double>(base->closureSize);
}

std::vector<const OutputSizeChange*> JobSizes::overLimit() const {
  std::vector<const OutputSizeChange*> out;
  if (!limitPercent) return out;
  for (const auto& change : outputs) {
    auto grown = change.closurePercent();
    if (grown && *grown > *limitPercent) out.push_back(&change);
  }
  return out;
}

std::string SizeComparison::humanBytes(std::int64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (std::fabs(value) >= 1024.0 && unit + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  std::ostringstream out;
  if (unit == 0) {
    out << bytes << " B";
  } else {
    out << std::fixed << std::setprecision(1) << value << " " << kUnits[unit];
  }
  return out.str();
}

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
  std::map<std::string, scheduler::PathSizes> history;
  for (const auto& row : *recorded) history[row.storePath] = scheduler::PathSizes{row.narSize, row.closureSize};

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

std::vector<std::string> SizeComparison::warnings(const std::vector<JobSizes>& jobs) {
  std::vector<std::string> out;
  for (const auto& job : jobs) {
    for (const auto* change : job.overLimit()) {
      out.push_back("job " + job.job + ": the closure of " + change->attr + " (" + change->output + ") grew " +
                    percent(*change->closurePercent()) + ", from " + humanBytes(change->base->closureSize) + " to " +
                    humanBytes(change->head.closureSize) + " (size_check limit " + limitText(*job.limitPercent) + ")");
    }
  }
  return out;
}

std::string SizeComparison::markdown(const std::vector<JobSizes>& jobs, std::size_t maxRows) {
  std::string md = "\n## Closure sizes\n";
  for (const auto& job : jobs) {
    std::size_t unchanged = 0;
    std::vector<const OutputSizeChange*> rows;
    for (const auto& change : job.outputs) {
      if (change.base && change.base->closureSize == change.head.closureSize &&
          change.base->narSize == change.head.narSize) {
        ++unchanged;
      } else {
        rows.push_back(&change);
      }
    }
    md += "\n" + MarkdownRenderer::code(job.job) + ": " + std::to_string(job.outputs.size()) +
          (job.outputs.size() == 1 ? " output" : " outputs") + " measured";
    if (unchanged > 0) md += ", " + std::to_string(unchanged) + " unchanged";
    if (job.notInStore > 0) md += ", " + std::to_string(job.notInStore) + " not built (failed or never built)";
    md += ".\n";
    if (!rows.empty()) {
      md += "\n| package | output | closure | change | own size |\n|---|---|---:|---:|---:|\n";
      for (std::size_t i = 0; i < rows.size() && i < maxRows; ++i) {
        const auto& c = *rows[i];
        std::string closure, change, own;
        if (c.base) {
          closure = humanBytes(c.base->closureSize) + " → " + humanBytes(c.head.closureSize);
          auto grown = c.closurePercent();
          change = grown ? percent(*grown) : "";
          own = humanBytes(c.base->narSize) + " → " + humanBytes(c.head.narSize);
          if (c.baseFromHistory) change += " (base from an earlier build)";
        } else {
          closure = humanBytes(c.head.closureSize);
          change = c.added ? "new" : "base not built";
          own = humanBytes(c.head.narSize);
        }
        md += "| " + MarkdownRenderer::code(c.attr) + " | " + MarkdownRenderer::code(c.output, 40) + " | " + closure +
              " | " + change + " | " + own + " |\n";
      }
      if (rows.size() > maxRows) {
        md += "\n… and " + std::to_string(rows.size() - maxRows) + " more outputs (all of them in the JSON report).\n";
      }
    }
    auto over = job.overLimit();
    if (!over.empty()) {
      md += "\n**Size warnings** in " + MarkdownRenderer::code(job.job) + " (closure growth above " +
            limitText(*job.limitPercent) + "):\n\n";
      for (const auto* c : over) {
        md += "- " + MarkdownRenderer::code(c->attr) + " (" + MarkdownRenderer::code(c->output, 40) + "): " +
              percent(*c->closurePercent()) + "\n";
      }
    }
  }
  return md;
}

std::string SizeComparison::addToJson(const std::string& reportJson, const std::vector<JobSizes>& jobs) {
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const auto& job : jobs) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("job", job.job);
    if (job.limitPercent) o->set("max_increase_percent", *job.limitPercent);
    o->set("not_in_store", job.notInStore);
    Poco::JSON::Array::Ptr outputs = new Poco::JSON::Array;
    for (const auto& c : job.outputs) {
      Poco::JSON::Object::Ptr entry = new Poco::JSON::Object;
      entry->set("attr", c.attr);
      entry->set("output", c.output);
      entry->set("store_path", c.headPath);
      entry->set("nar_size", c.head.narSize);
      entry->set("closure_size", c.head.closureSize);
      entry->set("added", c.added);
      if (c.base) {
        entry->set("base_nar_size", c.base->narSize);
        entry->set("base_closure_size", c.base->closureSize);
        entry->set("base_from_history", c.baseFromHistory);
        if (auto grown = c.closurePercent()) entry->set("closure_change_percent", std::round(*grown * 100.0) / 100.0);
      }
      auto grown = c.closurePercent();
      entry->set("over_limit", job.limitPercent && grown && *grown > *job.limitPercent);
      outputs->add(entry);
    }
    o->set("outputs", outputs);
    list->add(o);
  }
  return JsonRenderer::withMember(reportJson, "sizes", list);
}

}  // namespace ekaci::review
