#include "GithubTime.h"

#include "forgekit/IsoTime.h"

namespace ekaci::github {

std::optional<std::chrono::system_clock::time_point> GithubTime::parse(const std::string& iso) {
  return forgekit::IsoTime::parse(iso);
}

std::string GithubTime::format(std::chrono::system_clock::time_point at) {
  return forgekit::IsoTime::format(at);
}

}  // namespace ekaci::github
