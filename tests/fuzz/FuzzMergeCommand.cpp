// Comments are anyone's text: the merge-command parser never crashes, agrees with itself,
// lets the first command line win whatever follows it, and never sees a command in prose.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "kernel/forge/MergeCommandParser.h"

namespace {
bool same(const std::optional<ekaci::forge::MergeCommand>& a, const std::optional<ekaci::forge::MergeCommand>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->cancel == b->cancel && a->method == b->method);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using ekaci::forge::MergeCommandParser;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto once = MergeCommandParser::parse(input, "eka-ci");
  if (!same(once, MergeCommandParser::parse(input, "@EKA-CI"))) std::abort();
  // Whatever follows a command does not change it; a command after none is found.
  const std::string followed = std::string(input) + "\n@eka-ci merge cancel\n";
  const auto after = MergeCommandParser::parse(followed, "eka-ci");
  if (once ? !same(once, after) : !(after && after->cancel)) std::abort();
  // Prose before every line: never a command.
  std::string prose = "cc ";
  for (char c : input) {
    prose.push_back(c);
    if (c == '\n') prose += "cc ";
  }
  if (MergeCommandParser::parse(prose, "eka-ci")) std::abort();
  return 0;
}
