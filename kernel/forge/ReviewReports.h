#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/ForgeTypes.h"
#include "kernel/review/ReviewReport.h"

namespace ekaci::forge {

// The reports a pull request's review becomes on its forge, with the names Eka CI users
// already see: "EkaCI: Configure", one "EkaCI: Evaluate Job (<job>)" per jobset, one
// "<attr> / New (<job>)" or "<attr> / Changed (<job>)" per new or changed job that fails to
// build (only those: thousands of passing packages never flood a pull request),
// "EkaCI: Approval Required (User: @login)" and one "EkaCI: Change Summary" per head.
// Pure functions of the review: the same review gives the same reports.
class ReviewReports {
 public:
  static constexpr const char* kConfigure = "EkaCI: Configure";
  static constexpr const char* kChangeSummary = "EkaCI: Change Summary";
  // Per-package reports one review creates at most; the rest are counted in the job's report.
  static constexpr std::size_t kMaxPackageReports = 50;

  static std::string evaluateName(const std::string& job);
  static std::string packageName(const std::string& attr, const std::string& job, bool added);
  static std::string approvalName(const std::string& login);

  static sdk::StatusReport configuring();
  static sdk::StatusReport configured(const std::vector<std::string>& jobs);
  static sdk::StatusReport configurationFailed(const std::string& error);
  static sdk::StatusReport evaluating(const std::string& job);
  static sdk::StatusReport approvalRequired(const std::string& login);

  // Each job's conclusion and the per-package reports of the jobs that fail to build.
  // `publicUrl` is the server's base for log links ("" leaves them out).
  static std::vector<sdk::StatusReport> concluded(const review::ReviewReport& report, const std::string& publicUrl);
  // A review that could not finish: every job it was evaluating ends with this error.
  static sdk::StatusReport failed(const std::string& job, const std::string& error);

  // The change summary: the review's Markdown within the forge's limit, neutral.
  // `truncationLevel`, when given, receives the renderer's level (0 complete, 4 counts only).
  static sdk::StatusReport changeSummary(const review::ReviewReport& report, const std::string& detailsUrl,
                                         std::size_t maxBytes, int* truncationLevel = nullptr);
};

}  // namespace ekaci::forge
