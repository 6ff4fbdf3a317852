#include "kernel/forge/MergeCommandParser.h"

namespace ekaci::forge {
namespace {

bool space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

bool sameIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// The next whitespace-separated token of `line` from `at`, or empty at the end.
std::string_view token(std::string_view line, std::size_t& at) {
  while (at < line.size() && space(line[at])) ++at;
  const std::size_t start = at;
  while (at < line.size() && !space(line[at])) ++at;
  return line.substr(start, at - start);
}

std::optional<MergeCommand> parseLine(std::string_view line, std::string_view mention) {
  std::size_t at = 0;
  const std::string_view first = token(line, at);
  if (first.size() != mention.size() + 1 || first.front() != '@' || !sameIgnoringCase(first.substr(1), mention)) {
    return std::nullopt;
  }
  if (!sameIgnoringCase(token(line, at), "merge")) return std::nullopt;
  MergeCommand command;
  const std::string_view method = token(line, at);
  if (sameIgnoringCase(method, "cancel")) {
    command.cancel = true;
  } else if (sameIgnoringCase(method, "merge")) {
    command.method = sdk::MergeMethod::Merge;
  } else if (sameIgnoringCase(method, "squash")) {
    command.method = sdk::MergeMethod::Squash;
  } else if (sameIgnoringCase(method, "rebase")) {
    command.method = sdk::MergeMethod::Rebase;
  }
  return command;
}

}  // namespace

std::optional<MergeCommand> MergeCommandParser::parse(std::string_view comment, std::string_view mention) {
  if (!mention.empty() && mention.front() == '@') mention.remove_prefix(1);
  if (mention.empty()) return std::nullopt;
  std::size_t start = 0;
  while (start <= comment.size()) {
    std::size_t end = comment.find('\n', start);
    if (end == std::string_view::npos) end = comment.size();
    if (auto command = parseLine(comment.substr(start, end - start), mention)) return command;
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace ekaci::forge
