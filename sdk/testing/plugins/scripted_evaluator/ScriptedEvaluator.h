#pragma once

#include "ekaci/sdk/Evaluator.h"

namespace ekaci::reference {

// The reference Evaluator. It reads the job file from the checkout as a script, one
// attribute per line:
//
//   <attr> <drvPath> <system> <output>=<path> [<output>=<path> ...]
//   <attr> !<error message>
//
// Blank lines and lines starting with '#' are ignored.
class ScriptedEvaluator : public sdk::Evaluator {
 public:
  sdk::Result<sdk::EvalSummary> evaluate(const sdk::EvalRequest& request, const sdk::EvalSink& sink) override;
};

}  // namespace ekaci::reference
