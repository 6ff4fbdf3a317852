#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/HostServices.h"
#include "ekaci/sdk/PluginFactory.h"
#include "ekaci/sdk/PluginInstance.h"
#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Value.h"

namespace ekaci::sdk {

struct EvalRequest {
  std::string checkoutDirectory;  // a worktree the kernel owns; read-only for the evaluator
  std::string file;               // relative to the checkout, already checked to stay inside it
  std::string attrPath;           // optional sub-attribute
  std::vector<std::string> systems;
  std::size_t workers = 1;
  std::size_t maxMemoryMiBPerWorker = 4096;
  const std::atomic<bool>* cancel = nullptr;
};

struct PackageMeta {
  std::string pname;
  std::string version;
  std::vector<std::string> licenses;
  std::vector<std::string> maintainers;
  std::vector<std::string> tests;  // passthru.tests attribute names
  // Metadata that failed to evaluate while the derivation itself did: "meta.maintainers: <why>".
  // The attribute is still a job; these are warnings, never evaluation errors.
  std::vector<std::string> warnings;
};

// One attribute of the evaluation: a derivation, or the error that attribute raised.
struct EvalItem {
  std::string attrPath;
  std::string drvPath;                                       // empty when error is set
  std::vector<std::pair<std::string, std::string>> outputs;  // name -> store path
  std::string system;
  PackageMeta meta;
  std::optional<std::string> error;
};

struct EvalSummary {
  std::size_t attributes = 0;
  std::size_t errors = 0;
  std::size_t metadataWarnings = 0;  // jobs with at least one entry in meta.warnings
  std::vector<std::string> warnings;
};

// Receives items as they are produced; called on the thread that called evaluate(), in
// no particular attribute order. The item is handed over by value.
using EvalSink = std::function<void(EvalItem item)>;

// Turns a checkout and a job into a stream of derivations. An error in one attribute is
// an EvalItem with `error` set, not a failed evaluation; a failed Result means the whole
// evaluation could not run (syntax error in the top-level file, evaluator crashed).
// Threading: one instance per evaluator type serves every evaluation of the server, so
// evaluate() is called from several threads at once.
class EKACI_SDK_API Evaluator : public PluginInstance {
 public:
  ~Evaluator() override;
  virtual Result<EvalSummary> evaluate(const EvalRequest& request, const EvalSink& sink) = 0;
};

}  // namespace ekaci::sdk
