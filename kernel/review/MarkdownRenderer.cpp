#include "kernel/review/MarkdownRenderer.h"

#include <map>

#include "kernel/review/MarkdownBuildSection.h"
#include "kernel/review/MarkdownSizeSection.h"
#include "kernel/review/MarkdownText.h"

namespace ekaci::review {
namespace {

std::string plural(std::size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string firstLine(const std::string& text) {
  auto nl = text.find('\n');
  return nl == std::string::npos ? text : text.substr(0, nl);
}

std::string changeLabel(const PackageChange& c) {
  switch (c.change) {
    case ChangeClass::Added:
      return "added";
    case ChangeClass::Removed:
      return "removed";
    case ChangeClass::VersionBump:
      return "version bump";
    case ChangeClass::Renamed:
      return "renamed from " + MarkdownText::code(c.oldAttr);
    case ChangeClass::RebuildOnly:
      return "rebuild";
    case ChangeClass::Unchanged:
      return c.licenseChanged ? "license" : "maintainers";
  }
  return "";
}

std::string versionCell(const PackageChange& c) {
  if (c.change == ChangeClass::Removed) return MarkdownText::code(c.oldVersion);
  if (!c.oldVersion.empty() && c.oldVersion != c.newVersion) {
    return MarkdownText::code(c.oldVersion) + " → " + MarkdownText::code(c.newVersion);
  }
  return MarkdownText::code(c.newVersion);
}

std::string listChange(bool changed, const std::vector<std::string>& before, const std::vector<std::string>& after) {
  if (!changed) return "";
  return MarkdownText::code(join(before)) + " → " + MarkdownText::code(join(after));
}

void renderJob(const JobReview& job, const MarkdownRenderer::Options& options, int level, std::string& out) {
  out += "### Job " + MarkdownText::code(job.job) + "\n\n";
  if (job.headFailure) {
    out += "❌ **Head does not evaluate.**\n\n<details><summary>error</summary>\n\n<pre>" +
           MarkdownText::html(*job.headFailure) + "</pre>\n</details>\n\n";
    return;
  }
  if (job.baseFailure) {
    out += "⚠️ Base does not evaluate; every head package is reported as added.\n\n";
  }
  const auto& n = job.counts;
  out += "Evaluated " + plural(job.baseAttributes, "attribute", "attributes") + " at base and " +
         plural(job.headAttributes, "attribute", "attributes") + " at head.\n\n";

  // Evaluation errors.
  if (n.newErrors + n.fixedErrors + n.stillFailing == 0) {
    out += "✅ No evaluation errors.\n\n";
  } else {
    out += (n.newErrors > 0 && !job.allowEvalFailures ? "❌" : "⚠️");
    out += " Evaluation errors: **" + std::to_string(n.newErrors) + " new**, " + std::to_string(n.fixedErrors) +
           " fixed, " + std::to_string(n.stillFailing) + " still failing" +
           (job.allowEvalFailures ? " (allowed by the job)" : "") + ".\n\n";
    std::size_t listed = 0;
    for (const auto& error : job.evalErrors) {
      if (error.change != EvalErrorChange::New) continue;
      if (level >= 4 || ++listed > options.maxPackagesListed) break;
      out += "- " + MarkdownText::code(error.attr) + ": " + MarkdownText::code(firstLine(error.message), 200) + "\n";
    }
    if (listed > 0) out += "\n";
    if (level < 4) {
      for (const auto& error : job.evalErrors) {
        if (error.change == EvalErrorChange::Fixed) out += "- fixed: " + MarkdownText::code(error.attr) + "\n";
      }
      out += "\n";
    }
  }

  // Metadata that fails while the derivation evaluates: the packages are still jobs.
  if (!job.metadataWarnings.empty()) {
    out += "ℹ️ Metadata warnings: " + plural(job.metadataWarnings.size(), "package", "packages") +
           " whose `meta` or `passthru.tests` fails to evaluate (still evaluated, built and compared)";
    if (level >= 4) {
      out += ".\n\n";
    } else {
      out += ":";
      constexpr std::size_t kListed = 10;
      for (std::size_t i = 0; i < job.metadataWarnings.size() && i < kListed; ++i) {
        const auto& [attr, lines] = job.metadataWarnings[i];
        out += (i == 0 ? " " : ", ") + MarkdownText::code(attr);
        if (!lines.empty() && level < 3) out += " (" + MarkdownText::code(firstLine(lines.front()), 120) + ")";
      }
      if (job.metadataWarnings.size() > kListed)
        out += ", and " + std::to_string(job.metadataWarnings.size() - kListed) + " more";
      out += ".\n\n";
    }
  }

  // Package changes.
  if (options.showPackageChanges) {
    std::vector<std::string> parts;
    if (n.added) parts.push_back(plural(n.added, "added", "added"));
    if (n.removed) parts.push_back(plural(n.removed, "removed", "removed"));
    if (n.versionBumps) parts.push_back(plural(n.versionBumps, "version bump", "version bumps"));
    if (n.renamed) parts.push_back(plural(n.renamed, "renamed", "renamed"));
    if (n.rebuildOnly) parts.push_back(plural(n.rebuildOnly, "rebuild only", "rebuild only"));
    if (n.licenseChanges) parts.push_back(plural(n.licenseChanges, "license change", "license changes"));
    if (n.maintainerChanges) parts.push_back(plural(n.maintainerChanges, "maintainer change", "maintainer changes"));
    out += "**Package changes:** " + (parts.empty() ? std::string("none") : join(parts)) + ".\n\n";

    std::vector<const PackageChange*> rows;
    std::vector<std::string> rebuildOnly;
    for (const auto& c : job.changes) {
      if (c.change == ChangeClass::RebuildOnly && !c.licenseChanged && !c.maintainersChanged) {
        rebuildOnly.push_back(c.attr);
        if (!options.includeRebuildOnly) continue;
      }
      rows.push_back(&c);
    }
    const bool table = level < 4 && !rows.empty() && rows.size() <= options.maxPackagesListed;
    if (table) {
      const bool licenses = level < 2, maintainers = level < 1;
      out += "| attribute | change | version |";
      out += licenses ? " license |" : "";
      out += maintainers ? " maintainers |" : "";
      out += "\n|---|---|---|";
      out += licenses ? "---|" : "";
      out += maintainers ? "---|" : "";
      out += "\n";
      for (const auto* c : rows) {
        out += "| " + MarkdownText::code(c->attr) + " | " + changeLabel(*c) + " | " + versionCell(*c) + " |";
        if (licenses) out += " " + listChange(c->licenseChanged, c->oldLicenses, c->newLicenses) + " |";
        if (maintainers) out += " " + listChange(c->maintainersChanged, c->oldMaintainers, c->newMaintainers) + " |";
        out += "\n";
      }
      out += "\n";
    } else if (!rows.empty() && level < 4) {
      out += "_" + std::to_string(rows.size()) + " changed packages: more than max_packages_listed (" +
             std::to_string(options.maxPackagesListed) + "); the JSON report lists them all._\n\n";
    }
    if (level < 3 && !rebuildOnly.empty() && !options.includeRebuildOnly) {
      std::string names;
      for (std::size_t i = 0; i < rebuildOnly.size() && i < 20; ++i)
        names += (i ? ", " : "") + MarkdownText::code(rebuildOnly[i]);
      if (rebuildOnly.size() > 20) names += ", …";
      out += "Rebuild only (" + std::to_string(rebuildOnly.size()) + "): " + names + "\n\n";
    }
  }

  // Rebuild impact.
  if (options.showRebuildImpact) {
    out += "**Rebuilds:**";
    for (const auto& r : job.rebuilds) {
      out += " " + MarkdownText::code(r.system) + " " + std::to_string(r.count) + " (" + r.bucket + ");";
    }
    if (!out.empty() && out.back() == ';') out.back() = '.';
    if (job.rebuilds.empty()) out += " none.";
    out += "\n\n";
    std::map<std::string, const PackageChange*> byAttr;
    for (const auto& c : job.changes) byAttr[c.attr] = &c;
    if (!job.topBlastRadius.empty()) {
      out += "| largest blast radius | dependent jobs |";
      out += job.fullBlastRadius ? " dependent derivations |\n|---|---|---|\n" : "\n|---|---|\n";
      for (const auto& attr : job.topBlastRadius) {
        auto found = byAttr.find(attr);
        if (found == byAttr.end()) continue;
        const auto* c = found->second;
        out += "| " + MarkdownText::code(attr) + " | " + std::to_string(c->dependentJobs) + " |";
        if (job.fullBlastRadius) out += " " + std::to_string(c->dependentDerivations) + " |";
        out += "\n";
      }
      out += "\n";
    }
  }
  for (const auto& note : job.notes) out += "_Note: " + MarkdownText::html(note) + "_\n\n";
}

}  // namespace

std::string MarkdownRenderer::renderAtLevel(const ReviewReport& report, const Options& options, int level) {
  std::string out = "## eka-ci review\n\n";
  out += "Repository " + MarkdownText::code(report.repository) + ", base " +
         MarkdownText::code(report.baseSha.substr(0, 12)) + " → head " +
         MarkdownText::code(report.headSha.substr(0, 12));
  if (!report.headSubject.empty()) out += " (" + MarkdownText::code(report.headSubject, 80) + ")";
  out += ".\n\n";
  out += "**Verdict: " + verdict(report) + "**\n\n";
  if (!report.skippedBecause.empty()) {
    out += "No evaluation was needed: " + MarkdownText::html(report.skippedBecause) + "\n\n";
  }
  for (const auto& job : report.jobs) renderJob(job, options, level, out);
  for (const auto& warning : report.warnings) out += "_Warning: " + MarkdownText::html(warning) + "_\n\n";
  if (report.builds) out += MarkdownBuildSection::render(*report.builds, level);
  if (report.sizes) {
    out += MarkdownSizeSection::render(*report.sizes, level);
  } else if (!report.sizesUnavailable.empty()) {
    out += MarkdownSizeSection::unavailable(report.sizesUnavailable);
  }
  return out;
}

std::string MarkdownRenderer::verdict(const ReviewReport& report) {
  if (!report.clean()) return "❌ this change breaks evaluation.";
  if (!report.builds) return "✅ evaluation is clean.";
  const std::size_t failing = report.newlyFailingBuilds();
  if (failing > 0) return "❌ " + plural(failing, "job newly fails", "jobs newly fail") + " to build.";
  if (!report.buildsClean()) return "❌ some builds did not finish.";
  return "✅ evaluation is clean and nothing newly fails to build.";
}

MarkdownRenderer::Options MarkdownRenderer::optionsFor(const ReviewReport& report) {
  Options options;
  options.maxPackagesListed = report.presentation.maxPackagesListed;
  options.includeRebuildOnly = report.presentation.includeRebuildOnly;
  options.showPackageChanges = report.presentation.packageChanges;
  options.showRebuildImpact = report.presentation.rebuildImpact;
  return options;
}

MarkdownRenderer::Output MarkdownRenderer::render(const ReviewReport& report, const Options& options) {
  Output output;
  for (int level = 0; level <= 4; ++level) {
    output.markdown = renderAtLevel(report, options, level);
    output.truncationLevel = level;
    if (output.markdown.size() <= options.softLimit) return output;
  }
  output.hardCapped = hardCap(output.markdown, options.hardLimit);
  return output;
}

bool MarkdownRenderer::hardCap(std::string& markdown, std::size_t hardLimit) {
  if (markdown.size() <= hardLimit) return false;
  const std::string footer = "\n\n_…truncated by sender safety net_\n";
  std::size_t cut = hardLimit > footer.size() ? hardLimit - footer.size() : 0;
  while (cut > 0 && (static_cast<unsigned char>(markdown[cut]) & 0xC0) == 0x80) --cut;
  markdown = markdown.substr(0, cut) + footer;
  return true;
}

}  // namespace ekaci::review
