#pragma once

#include <cstdint>
#include <vector>

#include "ekaci/sdk/Result.h"
#include "kernel/graph/ClosureWalker.h"
#include "kernel/storage/Storage.h"

namespace ekaci::graph {

// Stores what a closure walk read — every derivation with its system, features and outputs,
// then every reference between them — in two batches. The review and the scheduler both
// ingest closures through here.
class ClosureStore {
 public:
  // The database ids of the walk's nodes, indexed by NodeId.
  static sdk::Result<std::vector<std::int64_t>> save(const ClosureWalk& walk, storage::Storage& storage);
};

}  // namespace ekaci::graph
