#include "kernel/review/SizeFormat.h"

#include <cmath>
#include <iomanip>
#include <iterator>
#include <sstream>

namespace ekaci::review {

std::string SizeFormat::humanBytes(std::int64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (std::fabs(value) >= 1024.0 && unit + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  std::ostringstream out;
  if (unit == 0) {
    out << bytes << " B";
  } else {
    out << std::fixed << std::setprecision(1) << value << " " << kUnits[unit];
  }
  return out.str();
}

std::string SizeFormat::percent(double value) {
  std::ostringstream out;
  out << std::showpos << std::fixed << std::setprecision(1) << value << " %";
  return out.str();
}

std::string SizeFormat::limit(double value) {
  std::ostringstream out;
  out << value << " %";
  return out.str();
}

std::vector<std::string> SizeFormat::warnings(const std::vector<JobSizes>& jobs) {
  std::vector<std::string> out;
  for (const auto& job : jobs) {
    for (const auto* change : job.overLimit()) {
      out.push_back("job " + job.job + ": the closure of " + change->attr + " (" + change->output + ") grew " +
                    percent(*change->closurePercent()) + ", from " + humanBytes(change->base->closureSize) + " to " +
                    humanBytes(change->head.closureSize) + " (size_check limit " + limit(*job.limitPercent) + ")");
    }
  }
  return out;
}

}  // namespace ekaci::review
