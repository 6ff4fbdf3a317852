#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/Evaluator.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::plugins::evaluators {

// One described attribute, as returned by evaluate.nix (or one line of nix-eval-jobs).
struct EvalResult {
  enum class Kind { Derivation, Error, Recurse, Skip, Meta, Field };
  Kind kind = Kind::Skip;
  std::vector<std::string> path;
  std::vector<std::string> names;       // Recurse: attribute names below `path`
  sdk::EvalItem item;                   // Derivation and Error; Meta: item.meta; Field: its one field
  std::vector<std::string> metaErrors;  // Derivation and Meta: metadata fields that failed to evaluate
  std::string field;                    // Field: its name (pname, version, licenses, maintainers, tests)
  bool fieldFailed = false;             // Field: it failed catchably
};

// Decodes evaluator output. Input comes from evaluating untrusted Nix code: anything that
// is not the expected shape is an error, never a crash.
class EvalResultDecoder {
 public:
  // One description printed by evaluate.nix (the JSON after "trace: EKACI:").
  static sdk::Result<EvalResult> decodeResult(const std::string& json);
  // One JSON line of nix-eval-jobs output.
  static sdk::Result<EvalResult> decodeNixEvalJobsLine(const std::string& line);
  // Copies `field` of `from` into `into`; false for a name that is not a metadata field.
  static bool copyField(const std::string& field, const sdk::PackageMeta& from, sdk::PackageMeta& into);
  // The metadata fields evaluate.nix knows, in its order.
  static const std::vector<std::string>& fieldNames();
  // "a.b" for ["a", "b"]; a name containing '.' or spaces is quoted: a."b.c".
  static std::string attrPath(const std::vector<std::string>& path);
};

}  // namespace ekaci::plugins::evaluators
