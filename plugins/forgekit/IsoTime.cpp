#include "forgekit/IsoTime.h"

#include <ctime>
#include <iomanip>
#include <sstream>

namespace ekaci::forgekit {

std::optional<std::chrono::system_clock::time_point> IsoTime::parse(const std::string& iso) {
  // GitLab's webhooks write "2015-05-17 18:08:09 UTC"; the API writes ISO 8601.
  std::string text = iso;
  if (text.size() > 10 && text[10] == ' ') text[10] = 'T';
  if (text.size() > 4 && text.compare(text.size() - 4, 4, " UTC") == 0) text.replace(text.size() - 4, 4, "Z");
  if (text.size() > 6 && text[text.size() - 6] == ' ' &&
      (text[text.size() - 5] == '+' || text[text.size() - 5] == '-')) {  // " +0200"
    text.erase(text.size() - 6, 1);
    text.insert(text.size() - 2, ":");
  }
  std::tm tm{};
  std::istringstream in(text);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) return std::nullopt;
  std::string rest;
  std::getline(in, rest);
  if (!rest.empty() && rest.front() == '.') {  // fractional seconds
    std::size_t digits = 1;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits])) != 0) ++digits;
    rest.erase(0, digits);
  }
  long offsetSeconds = 0;
  if (rest == "Z" || rest.empty()) {
    offsetSeconds = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
             std::isdigit(static_cast<unsigned char>(rest[1])) != 0 &&
             std::isdigit(static_cast<unsigned char>(rest[2])) != 0 &&
             std::isdigit(static_cast<unsigned char>(rest[4])) != 0 &&
             std::isdigit(static_cast<unsigned char>(rest[5])) != 0) {
    const long hours = (rest[1] - '0') * 10 + (rest[2] - '0');
    const long minutes = (rest[4] - '0') * 10 + (rest[5] - '0');
    offsetSeconds = (hours * 3600 + minutes * 60) * (rest[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  const std::time_t at = timegm(&tm) - offsetSeconds;
  // Outside 1970..2200 a forge's date is nonsense, and past 2262 it does not fit the clock.
  constexpr std::time_t kLatest = 7258118400;  // 2200-01-01T00:00:00Z
  if (at < 0 || at >= kLatest) return std::nullopt;
  return std::chrono::system_clock::from_time_t(at);
}

std::string IsoTime::format(std::chrono::system_clock::time_point at) {
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  if (std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) return "1970-01-01T00:00:00Z";
  return buffer;
}

}  // namespace ekaci::forgekit
