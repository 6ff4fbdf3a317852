#include "tests/support/SizeSamples.h"

#include <cstdint>
#include <string>

namespace ekaci::testsupport {

review::JobSizes sampleSizes(std::size_t outputs, std::optional<double> limit) {
  review::JobSizes job;
  job.job = "packages";
  job.limitPercent = limit;
  for (std::size_t i = 0; i < outputs; ++i) {
    review::OutputSizeChange c;
    c.attr = "pkg" + std::to_string(i);
    c.output = "out";
    c.headPath = "/nix/store/" + std::string(32, 'a') + "-pkg";
    c.head = {100, static_cast<std::int64_t>(1000 + 10 * i)};
    c.base = nix::PathSizes{100, 1000};
    job.outputs.push_back(c);
  }
  return job;
}

}  // namespace ekaci::testsupport
