#include "kernel/forge/ReviewReports.h"

#include <map>

#include "kernel/review/MarkdownRenderer.h"
#include "kernel/review/MarkdownText.h"

namespace ekaci::forge {
namespace {

std::string drvName(const std::string& drvPath) {
  const auto slash = drvPath.rfind('/');
  return slash == std::string::npos ? drvPath : drvPath.substr(slash + 1);
}

std::string plural(std::size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string ReviewReports::evaluateName(const std::string& job) {
  return "EkaCI: Evaluate Job (" + job + ")";
}

std::string ReviewReports::packageName(const std::string& attr, const std::string& job, bool added) {
  return attr + (added ? " / New (" : " / Changed (") + job + ")";
}

std::string ReviewReports::approvalName(const std::string& login) {
  return "EkaCI: Approval Required (User: @" + login + ")";
}

sdk::StatusReport ReviewReports::configuring() {
  return sdk::StatusReport{kConfigure,
                           sdk::CommitState::Running,
                           "Reading the configuration",
                           "Fetching the pull request and reading `.ekaci/config.json` at its head.",
                           "",
                           ""};
}

sdk::StatusReport ReviewReports::configured(const std::vector<std::string>& jobs) {
  std::string summary = "Jobs of this head:\n\n";
  for (const auto& job : jobs) summary += "- " + review::MarkdownText::code(job) + "\n";
  if (jobs.empty()) summary = "The configuration declares no jobs.";
  return sdk::StatusReport{kConfigure, sdk::CommitState::Success, plural(jobs.size(), "job", "jobs"), summary, "", ""};
}

sdk::StatusReport ReviewReports::configurationFailed(const std::string& error) {
  return sdk::StatusReport{kConfigure,
                           sdk::CommitState::Failure,
                           "The configuration could not be used",
                           "<pre>" + review::MarkdownText::html(error) + "</pre>",
                           "",
                           ""};
}

sdk::StatusReport ReviewReports::evaluating(const std::string& job) {
  return sdk::StatusReport{evaluateName(job),
                           sdk::CommitState::Running,
                           "Evaluating",
                           "Evaluating job " + review::MarkdownText::code(job) + " at base and head.",
                           "",
                           ""};
}

sdk::StatusReport ReviewReports::approvalRequired(const std::string& login) {
  return sdk::StatusReport{
      approvalName(login),
      sdk::CommitState::Neutral,
      "Waiting for approval",
      "This pull request comes from @" + login +
          ", who is not on the server's approved list, so its code is neither evaluated nor built. An operator "
          "approves with `ekaci approve " +
          login + "`.",
      "",
      ""};
}

sdk::StatusReport ReviewReports::failed(const std::string& job, const std::string& error) {
  return sdk::StatusReport{evaluateName(job),
                           sdk::CommitState::Error,
                           "The review could not finish",
                           "<pre>" + review::MarkdownText::html(error) + "</pre>",
                           "",
                           ""};
}

std::vector<sdk::StatusReport> ReviewReports::concluded(const review::ReviewReport& report,
                                                        const std::string& publicUrl) {
  std::vector<sdk::StatusReport> out;
  std::size_t packageReports = 0;
  for (const auto& job : report.jobs) {
    const review::JobBuildResults* builds = nullptr;
    if (report.builds) {
      for (const auto& b : *report.builds) {
        if (b.job == job.job) builds = &b;
      }
    }
    std::map<std::string, const review::PackageChange*> changes;
    for (const auto& change : job.changes) changes[change.attr] = &change;
    std::map<std::string, const review::FailureLog*> logs;
    if (builds != nullptr) {
      for (const auto& log : builds->failureLogs) logs[log.attr] = &log;
    }

    sdk::StatusReport verdict{evaluateName(job.job), sdk::CommitState::Success, "", "", "", ""};
    std::string summary;
    std::vector<std::string> problems;
    if (job.headFailure) {
      problems.push_back("the evaluation of head failed");
      summary += "### Evaluation of head failed\n\n<pre>" + review::MarkdownText::html(*job.headFailure) + "</pre>\n\n";
    }
    std::size_t newErrors = 0;
    for (const auto& error : job.evalErrors) {
      if (error.change != review::EvalErrorChange::New) continue;
      if (newErrors++ == 0) summary += "### New evaluation errors\n\n";
      if (newErrors <= 50) {
        summary += "- " + review::MarkdownText::code(error.attr) + ": " +
                   review::MarkdownText::html(error.message.substr(0, 300)) + "\n";
      }
    }
    if (newErrors > 50) summary += "- … and " + std::to_string(newErrors - 50) + " more\n";
    if (newErrors > 0) summary += "\n";
    if (newErrors > 0 && !job.allowEvalFailures) {
      problems.push_back(plural(newErrors, "attribute newly fails", "attributes newly fail") + " to evaluate");
    }
    if (builds != nullptr) {
      std::size_t listed = 0;
      for (const auto& v : builds->verdicts) {
        if (v.verdict != review::Verdict::NewlyFailing) continue;
        if (listed++ == 0) summary += "### Newly failing builds\n\n";
        const auto change = changes.find(v.attr);
        const bool added = change != changes.end() && change->second->change == review::ChangeClass::Added;
        std::string link = publicUrl.empty() || v.drvPath.empty() ? "" : publicUrl + "/logs/" + drvName(v.drvPath);
        if (listed <= 50) {
          summary += "- " + review::MarkdownText::code(v.attr) + (link.empty() ? "" : " ([log](" + link + "))") + "\n";
        }
        if (packageReports >= kMaxPackageReports) continue;
        ++packageReports;
        sdk::StatusReport package{packageName(v.attr, job.job, added),
                                  sdk::CommitState::Failure,
                                  added ? "New package fails to build" : "Changed package fails to build",
                                  "",
                                  link,
                                  ""};
        package.summary = review::MarkdownText::code(v.drvPath, 200) + " " +
                          (v.baseKnown ? "builds at base and fails at head." : "fails to build at head.") + "\n";
        if (auto log = logs.find(v.attr); log != logs.end()) {
          if (log->second->failedDrv != v.drvPath) {
            package.summary += "\nIt was not built because its dependency " +
                               review::MarkdownText::code(log->second->failedDrv, 200) + " failed.\n";
          }
          package.summary += "\n<pre>" + review::MarkdownText::html(log->second->lines) + "</pre>\n";
        }
        out.push_back(std::move(package));
      }
      if (listed > 50) summary += "- … and " + std::to_string(listed - 50) + " more\n";
      if (builds->newlyFailing > 0) {
        problems.push_back(
            plural(builds->newlyFailing, "new or changed package fails", "new or changed packages fail") + " to build");
      }
      if (builds->unfinished > 0) problems.push_back(plural(builds->unfinished, "build", "builds") + " did not finish");
      summary += "Builds: " + std::to_string(builds->newlySucceeding) + " newly succeeding, " +
                 std::to_string(builds->newlyFailing) + " newly failing, " + std::to_string(builds->stillFailing) +
                 " still failing, " + std::to_string(builds->stillSucceeding) + " still succeeding.\n";
    }
    summary += "\nPackages: " + std::to_string(job.counts.added) + " added, " + std::to_string(job.counts.removed) +
               " removed, " + std::to_string(job.counts.versionBumps) + " version bumps, " +
               std::to_string(job.counts.rebuildOnly) + " rebuilt without a version change; " +
               std::to_string(job.headAttributes) + " attributes at head.\n";
    if (problems.empty()) {
      verdict.title = builds != nullptr ? "Evaluates; nothing newly fails to build" : "Evaluates";
    } else {
      verdict.state = sdk::CommitState::Failure;
      verdict.title = problems.front();
      for (std::size_t i = 1; i < problems.size(); ++i) verdict.title += "; " + problems[i];
    }
    verdict.summary = std::move(summary);
    out.insert(out.begin(), std::move(verdict));
  }
  return out;
}

sdk::StatusReport ReviewReports::changeSummary(const review::ReviewReport& report, const std::string& detailsUrl,
                                               std::size_t maxBytes, int* truncationLevel) {
  auto options = review::MarkdownRenderer::optionsFor(report);
  options.hardLimit = std::min(options.hardLimit, maxBytes);
  options.softLimit = std::min(options.softLimit, options.hardLimit);
  auto rendered = review::MarkdownRenderer::render(report, options);
  if (truncationLevel != nullptr) *truncationLevel = rendered.truncationLevel;
  return sdk::StatusReport{kChangeSummary,
                           sdk::CommitState::Neutral,
                           review::MarkdownRenderer::verdict(report),
                           std::move(rendered.markdown),
                           detailsUrl,
                           ""};
}

}  // namespace ekaci::forge
