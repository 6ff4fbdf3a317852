#include "kernel/services/LogFilter.h"

#include <algorithm>
#include <cctype>

namespace ekaci::services {
namespace {
std::string trim(const std::string& s) {
  auto begin = s.find_first_not_of(" \t");
  auto end = s.find_last_not_of(" \t");
  return begin == std::string::npos ? "" : s.substr(begin, end - begin + 1);
}

std::string normaliseModule(std::string module) {
  std::string out;
  for (std::size_t i = 0; i < module.size(); ++i) {
    if (module.compare(i, 2, "::") == 0) {
      out.push_back('.');
      ++i;
    } else {
      out.push_back(module[i]);
    }
  }
  // Eka CI's crate prefixes name the whole server.
  for (const char* prefix : {"eka_ci_server.", "eka_ci_server"}) {
    if (out.starts_with(prefix)) out.erase(0, std::char_traits<char>::length(prefix));
  }
  return out;
}
}  // namespace

sdk::Result<sdk::LogLevel> LogFilter::parseLevel(const std::string& name) {
  std::string lower;
  for (char c : name) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "trace") return sdk::LogLevel::Trace;
  if (lower == "debug") return sdk::LogLevel::Debug;
  if (lower == "info") return sdk::LogLevel::Info;
  if (lower == "warn" || lower == "warning") return sdk::LogLevel::Warn;
  if (lower == "error") return sdk::LogLevel::Error;
  if (lower == "off") return sdk::LogLevel::Off;
  return sdk::Error(sdk::ErrorCode::ConfigInvalidValue,
                    "unknown log level '" + name + "' (use trace, debug, info, warn, error or off)");
}

sdk::Result<LogFilter> LogFilter::parse(const std::string& specification) {
  LogFilter filter;
  std::size_t start = 0;
  while (start <= specification.size()) {
    auto comma = specification.find(',', start);
    std::string item = trim(specification.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    start = comma == std::string::npos ? specification.size() + 1 : comma + 1;
    if (item.empty()) continue;
    auto eq = item.find('=');
    if (eq == std::string::npos) {
      auto level = parseLevel(item);
      if (!level) return std::move(level).error();
      filter.defaultLevel_ = *level;
      continue;
    }
    auto level = parseLevel(trim(item.substr(eq + 1)));
    if (!level) return std::move(level).error();
    std::string module = normaliseModule(trim(item.substr(0, eq)));
    if (module.empty()) {
      filter.defaultLevel_ = *level;
    } else {
      filter.modules_.emplace_back(module, *level);
    }
  }
  return filter;
}

sdk::LogLevel LogFilter::levelFor(const std::string& module) const {
  sdk::LogLevel level = defaultLevel_;
  std::size_t bestLength = 0;
  for (const auto& [prefix, prefixLevel] : modules_) {
    bool matches = module == prefix || (module.size() > prefix.size() && module.starts_with(prefix) &&
                                        module[prefix.size()] == '.');
    if (matches && prefix.size() >= bestLength) {
      bestLength = prefix.size();
      level = prefixLevel;
    }
  }
  return level;
}

}  // namespace ekaci::services
