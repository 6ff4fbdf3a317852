#include "kernel/review/MarkdownSizeSection.h"

#include "kernel/review/MarkdownText.h"
#include "kernel/review/SizeFormat.h"

namespace ekaci::review {

std::string MarkdownSizeSection::render(const std::vector<JobSizes>& jobs, int level) {
  const std::size_t maxRows = level < 2 ? kRows : level < 4 ? 10 : 0;
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
    md += "\n" + MarkdownText::code(job.job) + ": " + std::to_string(job.outputs.size()) +
          (job.outputs.size() == 1 ? " output" : " outputs") + " measured";
    if (unchanged > 0) md += ", " + std::to_string(unchanged) + " unchanged";
    if (job.notInStore > 0) md += ", " + std::to_string(job.notInStore) + " not built (failed or never built)";
    md += ".\n";
    if (!rows.empty() && maxRows > 0) {
      md += "\n| package | output | closure | change | own size |\n|---|---|---:|---:|---:|\n";
      for (std::size_t i = 0; i < rows.size() && i < maxRows; ++i) {
        const auto& c = *rows[i];
        std::string closure, change, own;
        if (c.base) {
          closure = SizeFormat::humanBytes(c.base->closureSize) + " → " + SizeFormat::humanBytes(c.head.closureSize);
          auto grown = c.closurePercent();
          change = grown ? SizeFormat::percent(*grown) : "";
          own = SizeFormat::humanBytes(c.base->narSize) + " → " + SizeFormat::humanBytes(c.head.narSize);
          if (c.baseFromHistory) change += " (base from an earlier build)";
        } else {
          closure = SizeFormat::humanBytes(c.head.closureSize);
          change = c.added ? "new" : "base not built";
          own = SizeFormat::humanBytes(c.head.narSize);
        }
        md += "| " + MarkdownText::code(c.attr) + " | " + MarkdownText::code(c.output, 40) + " | " + closure + " | " +
              change + " | " + own + " |\n";
      }
      if (rows.size() > maxRows) {
        md += "\n… and " + std::to_string(rows.size() - maxRows) + " more outputs (all of them in the JSON report).\n";
      }
    }
    auto over = job.overLimit();
    if (!over.empty()) {
      md += "\n**Size warnings** in " + MarkdownText::code(job.job) + " (closure growth above " +
            SizeFormat::limit(*job.limitPercent) + "):\n\n";
      const std::size_t maxWarnings = maxRows > 0 ? maxRows : 10;
      std::size_t shown = 0;
      for (const auto* c : over) {
        if (shown++ == maxWarnings) {
          md += "- … and " + std::to_string(over.size() - maxWarnings) + " more\n";
          break;
        }
        md += "- " + MarkdownText::code(c->attr) + " (" + MarkdownText::code(c->output, 40) +
              "): " + SizeFormat::percent(*c->closurePercent()) + "\n";
      }
    }
  }
  return md;
}

std::string MarkdownSizeSection::unavailable(const std::string& why) {
  return "\n## Closure sizes\n\nNot measured: " + MarkdownText::html(why.substr(0, 500)) + "\n";
}

}  // namespace ekaci::review
