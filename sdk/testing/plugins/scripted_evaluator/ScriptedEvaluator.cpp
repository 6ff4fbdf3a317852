#include "ScriptedEvaluator.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace ekaci::reference {

sdk::Result<sdk::EvalSummary> ScriptedEvaluator::evaluate(const sdk::EvalRequest& request, const sdk::EvalSink& sink) {
  auto cancelled = [&] { return request.cancel != nullptr && request.cancel->load(); };
  if (cancelled()) return sdk::Error(sdk::ErrorCode::Cancelled, "evaluation cancelled before it started");
  std::filesystem::path script = std::filesystem::path(request.checkoutDirectory) / request.file;
  std::ifstream in(script);
  if (!in) return sdk::Error(sdk::ErrorCode::NotFound, "cannot read " + request.file);

  sdk::EvalSummary summary;
  std::string line;
  std::size_t lineNumber = 0;
  while (std::getline(in, line)) {
    ++lineNumber;
    if (cancelled()) return sdk::Error(sdk::ErrorCode::Cancelled, "evaluation cancelled");
    if (line.empty() || line.front() == '#') continue;
    std::istringstream fields(line);
    sdk::EvalItem item;
    fields >> item.attrPath;
    if (!request.attrPath.empty() && item.attrPath != request.attrPath &&
        !item.attrPath.starts_with(request.attrPath + ".")) {
      continue;
    }
    std::string second;
    fields >> second;
    if (second.starts_with("!")) {
      std::string rest;
      std::getline(fields, rest);
      item.error = second.substr(1) + rest;
      ++summary.errors;
    } else {
      item.drvPath = second;
      fields >> item.system;
      std::string output;
      while (fields >> output) {
        auto eq = output.find('=');
        if (eq == std::string::npos) {
          return sdk::Error(sdk::ErrorCode::InvalidArgument,
                            request.file + ":" + std::to_string(lineNumber) + ": expected <output>=<path>");
        }
        item.outputs.emplace_back(output.substr(0, eq), output.substr(eq + 1));
      }
      if (item.drvPath.empty() || item.system.empty() || item.outputs.empty()) {
        return sdk::Error(sdk::ErrorCode::InvalidArgument,
                          request.file + ":" + std::to_string(lineNumber) + ": incomplete attribute line");
      }
    }
    ++summary.attributes;
    sink(std::move(item));
  }
  return summary;
}

}  // namespace ekaci::reference
