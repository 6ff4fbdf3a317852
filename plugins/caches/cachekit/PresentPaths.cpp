#include "cachekit/PresentPaths.h"

namespace ekaci::plugins::caches {

std::vector<std::string> PresentPaths::missing(const std::vector<std::string>& paths, const std::vector<bool>& present,
                                               sdk::CachePushResult& result) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (i < present.size() && present[i]) {
      ++result.present;
    } else {
      out.push_back(paths[i]);
    }
  }
  return out;
}

}  // namespace ekaci::plugins::caches
