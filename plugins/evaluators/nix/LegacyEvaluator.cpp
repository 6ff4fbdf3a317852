#include "LegacyEvaluator.h"

#include <filesystem>

namespace ekaci::plugins::evaluators {

sdk::Result<sdk::EvalSummary> LegacyEvaluator::evaluate(const sdk::EvalRequest& request, const sdk::EvalSink& sink) {
  const auto file = std::filesystem::path(request.checkoutDirectory) / request.file;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    return sdk::Error(sdk::ErrorCode::NotFound, "no file " + request.file + " in the checkout");
  }
  NixBatchEvaluator::Root root;
  std::string part;
  for (char c : request.attrPath) {
    if (c == '.') {
      if (!part.empty()) root.path.push_back(part);
      part.clear();
    } else {
      part.push_back(c);
    }
  }
  if (!part.empty()) root.path.push_back(part);
  return batch_.evaluate(request, "legacy", file.string(), {root}, sink);
}

}  // namespace ekaci::plugins::evaluators
