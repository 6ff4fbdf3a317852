#include "kernel/review/MarkdownBuildSection.h"

#include <algorithm>
#include <cctype>

#include "kernel/review/MarkdownText.h"

namespace ekaci::review {

std::string MarkdownBuildSection::render(const std::vector<JobBuildResults>& results, int level) {
  const std::size_t listed = level < 2 ? kListed : level < 4 ? 20 : 0;
  const std::size_t logs = level < 2 ? kLogs : level < 4 ? 1 : 0;
  std::string md = "\n## Builds\n\n";
  md += "| job | newly failing | newly succeeding | still failing | still succeeding | removed |\n";
  md += "|---|---:|---:|---:|---:|---:|\n";
  for (const auto& r : results) {
    md += "| " + MarkdownText::code(r.job) + " | " + std::to_string(r.newlyFailing) + " | " +
          std::to_string(r.newlySucceeding) + " | " + std::to_string(r.stillFailing) + " | " +
          std::to_string(r.stillSucceeding) + " | " + std::to_string(r.removed) + " |\n";
  }
  for (const auto& r : results) {
    for (review::Verdict kind : {review::Verdict::NewlyFailing, review::Verdict::StillFailing,
                                 review::Verdict::NewlySucceeding, review::Verdict::Unfinished}) {
      std::string list;
      std::size_t shown = 0, more = 0;
      for (const auto& v : r.verdicts) {
        if (v.verdict != kind) continue;
        if (shown == listed) {
          ++more;
          continue;
        }
        ++shown;
        list += "- " + MarkdownText::code(v.attr) + " (" + v.headState +
                (v.baseState.empty() ? "" : ", base " + v.baseState) + (v.baseKnown ? "" : ", base not built") + ")\n";
      }
      if (more > 0) list += "- … and " + std::to_string(more) + " more (all of them in the JSON report)\n";
      if (list.empty()) continue;
      std::string title = review::toString(kind);
      std::replace(title.begin(), title.end(), '_', ' ');
      title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
      md += "\n**" + title + "** in " + MarkdownText::code(r.job) + ":\n\n" + list;
      if (kind != review::Verdict::NewlyFailing) continue;
      for (std::size_t i = 0; i < r.failureLogs.size() && i < logs; ++i) {
        const auto& log = r.failureLogs[i];
        std::string name = log.failedDrv.substr(log.failedDrv.rfind('/') + 1);
        md += "\n<details><summary><code>" + MarkdownText::html(log.attr) + "</code>: the end of the build log of " +
              MarkdownText::html(name) + "</summary>\n\n<pre>\n" + MarkdownText::html(log.lines) +
              "</pre>\n</details>\n";
      }
    }
  }
  for (const auto& r : results) {
    for (const auto& note : r.notes) md += "\n> " + MarkdownText::html(note) + "\n";
  }
  return md;
}

}  // namespace ekaci::review
