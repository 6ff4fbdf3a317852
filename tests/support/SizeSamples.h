#pragma once

#include <cstddef>
#include <optional>

#include "kernel/review/SizeResults.h"

namespace ekaci::testsupport {

// A job of `outputs` measured outputs pkg0..pkgN-1 whose closures grow from 1000 bytes by
// 10 bytes per index (pkg0 unchanged), with `limit` as its size_check limit.
review::JobSizes sampleSizes(std::size_t outputs, std::optional<double> limit);

}  // namespace ekaci::testsupport
