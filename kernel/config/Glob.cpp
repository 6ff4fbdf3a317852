#include "kernel/config/Glob.h"

#include <vector>

namespace ekaci::config {
namespace {

std::vector<std::string_view> segments(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    auto slash = s.find('/', start);
    out.push_back(s.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) return out;
    start = slash + 1;
  }
}

// One segment: '*' any run of characters, '?' one character (iterative, no recursion).
bool matchSegment(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

bool Glob::match(std::string_view pattern, std::string_view text) {
  const auto ps = segments(pattern);
  const auto ts = segments(text);
  // reachable[j]: pattern segments [0, i) can match text segments [0, j).
  std::vector<char> reachable(ts.size() + 1, 0), next(ts.size() + 1, 0);
  reachable[0] = 1;
  for (const auto& segment : ps) {
    std::fill(next.begin(), next.end(), 0);
    if (segment == "**") {
      char any = 0;
      for (std::size_t j = 0; j <= ts.size(); ++j) {
        any = static_cast<char>(any | reachable[j]);
        next[j] = any;  // '**' swallows zero or more whole segments
      }
    } else {
      for (std::size_t j = 0; j < ts.size(); ++j) {
        if (reachable[j] && matchSegment(segment, ts[j])) next[j + 1] = 1;
      }
    }
    reachable.swap(next);
  }
  return reachable[ts.size()] != 0;
}

}  // namespace ekaci::config
