// Evaluator output is produced by evaluating pull-request code: decoded results must be
// well-formed (store paths, a .drv, outputs) or an error.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "EvalResultDecoder.h"

using ekaci::plugins::evaluators::EvalResult;
using ekaci::plugins::evaluators::EvalResultDecoder;

namespace {
void check(const ekaci::sdk::Result<EvalResult>& result) {
  if (!result) {
    if (result.error().message().empty()) std::abort();
    return;
  }
  if (result->kind == EvalResult::Kind::Derivation) {
    const auto& item = result->item;
    if (item.drvPath.rfind("/nix/store/", 0) != 0 || !item.drvPath.ends_with(".drv")) std::abort();
    if (item.outputs.empty() || item.error) std::abort();
    for (const auto& [name, path] : item.outputs) {
      if (name.empty() || path.rfind("/nix/store/", 0) != 0) std::abort();
    }
  }
  const auto& fields = EvalResultDecoder::fieldNames();
  for (const auto& name : result->metaErrors) {
    if (std::find(fields.begin(), fields.end(), name) == fields.end()) std::abort();
  }
  if (result->kind == EvalResult::Kind::Field && std::find(fields.begin(), fields.end(), result->field) == fields.end()) {
    std::abort();
  }
  (void)EvalResultDecoder::attrPath(result->path);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  check(EvalResultDecoder::decodeResult(text));
  check(EvalResultDecoder::decodeNixEvalJobsLine(text));
  return 0;
}
