#include "kernel/review/ReviewService.h"

#include <chrono>

#include "kernel/review/SizeComparison.h"

namespace ekaci::review {

ReviewService::ReviewService(const Services& services) : services_(services), pipeline_(services.pipeline) {}

sdk::Result<ReviewReport> ReviewService::review(const ReviewRequest& request, const Options& options,
                                                const ReviewProgress& progress) {
  if (options.build && services_.scheduler == nullptr) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument, "this review service has no scheduler to build with");
  }
  auto report = pipeline_.run(request, progress);
  if (!report || !options.build) return report;

  auto line = [&](const std::string& text) {
    if (progress) progress(ReviewStep{0, 0, text});
  };
  ReviewBuilder builder(*services_.scheduler, services_.pipeline.storage);
  auto built = builder.build(*report, options.builds, request.cancel, line);
  if (!built) return built.error();
  report->builds = std::move(built).value();

  if (services_.store == nullptr) {
    report->sizesUnavailable = "no store to measure in";
    return report;
  }
  line("measuring output and closure sizes");
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(services_.clock.now().time_since_epoch()).count();
  SizeComparison sizes(*services_.store, services_.pipeline.storage, now);
  // A failure to measure loses nothing else: the report says why sizes are missing.
  if (auto measured = sizes.measure(*report); measured) {
    report->sizes = std::move(measured).value();
  } else {
    report->sizesUnavailable = measured.error().message();
  }
  return report;
}

}  // namespace ekaci::review
