#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/Evaluator.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::plugins::evaluators {

// One described attribute, as returned by evaluate.nix (or one line of nix-eval-jobs).
struct EvalResult {
  enum class Kind { Derivation, Error, Recurse, Skip };
  Kind kind = Kind::Skip;
  std::vector<std::string> path;
  std::vector<std::string> names;  // Recurse: attribute names below `path`
  sdk::EvalItem item;              // Derivation and Error
};

// Decodes evaluator output. Input comes from evaluating untrusted Nix code: anything that
// is not the expected shape is an error, never a crash.
class EvalResultDecoder {
 public:
  // One description printed by evaluate.nix (the JSON after "trace: EKACI:").
  static sdk::Result<EvalResult> decodeResult(const std::string& json);
  // One JSON line of nix-eval-jobs output.
  static sdk::Result<EvalResult> decodeNixEvalJobsLine(const std::string& line);
  // "a.b" for ["a", "b"]; a name containing '.' or spaces is quoted: a."b.c".
  static std::string attrPath(const std::vector<std::string>& path);
};

}  // namespace ekaci::plugins::evaluators
