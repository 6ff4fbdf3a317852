#include "kernel/config/Suggestion.h"

#include <algorithm>
#include <cctype>

namespace ekaci::config {
namespace {
char fold(char c) {
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c == '-' ? '_' : c;
}
}  // namespace

std::size_t Suggestion::distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::optional<std::string> Suggestion::closest(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t bestDistance = 0;
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  for (const auto& candidate : candidates) {
    std::size_t d = distance(word, candidate);
    bool prefix = candidate.size() > 3 && word.size() > 3 &&
                  (candidate.starts_with(word) || word.starts_with(candidate));
    if (d > limit && !prefix) continue;
    if (!best || d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

std::string Suggestion::hint(std::string_view word, const std::vector<std::string>& candidates) {
  auto best = closest(word, candidates);
  return best ? " (did you mean '" + *best + "'?)" : "";
}

}  // namespace ekaci::config
