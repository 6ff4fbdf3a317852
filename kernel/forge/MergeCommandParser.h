#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ekaci/sdk/ForgeTypes.h"

namespace ekaci::forge {

// A merge command found in a comment.
struct MergeCommand {
  bool cancel = false;                     // "@eka-ci merge cancel"
  std::optional<sdk::MergeMethod> method;  // "merge", "squash", "rebase"; none: the configured default
};

// The comment-command grammar: a line whose first whitespace-separated token is the bot's
// mention ("@eka-ci", ASCII case-insensitive), then the verb "merge", then optionally a
// method (merge, squash, rebase) or "cancel". Unknown methods fall back to a bare merge,
// trailing tokens are ignored, lines with another verb and mentions inside prose are not
// commands, and the first line that is a command wins. Comment text is the pull-request
// author's (or anyone's): the parser never allocates more than one line's tokens and reads
// each byte once.
class MergeCommandParser {
 public:
  // `mention` is the bot's name with or without the leading '@' ("eka-ci").
  static std::optional<MergeCommand> parse(std::string_view comment, std::string_view mention);
};

}  // namespace ekaci::forge
