#pragma once

#include <optional>
#include <string>

#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::forge {

// The SDK's forge types as JSON, for what the kernel stores: verified events (forge_events)
// and reports waiting to be sent (forge_outbox). Secrets never pass through here: no SDK
// forge type that is stored carries one.
class ForgeJson {
 public:
  static std::string kindName(sdk::ForgeEventKind kind);
  static sdk::Result<sdk::ForgeEventKind> kindOf(const std::string& name);
  static std::string stateName(sdk::CommitState state);
  static sdk::Result<sdk::CommitState> stateOf(const std::string& name);

  static std::string encode(const sdk::ForgeEvent& event);
  static sdk::Result<sdk::ForgeEvent> decodeEvent(const std::string& json);

  // A report to publish on a commit of a repository.
  struct Outgoing {
    sdk::RepositoryRef repository;
    std::string commitSha;
    sdk::StatusReport report;
  };
  static std::string encode(const Outgoing& outgoing);
  static sdk::Result<Outgoing> decodeOutgoing(const std::string& json);

  // A comment (commentId 0: a new one; else an edit) or a reaction on a pull request.
  struct Conversation {
    sdk::ChangeRequestRef changeRequest;
    std::uint64_t commentId = 0;
    std::string markdown;
    std::optional<sdk::Reaction> reaction;
  };
  static std::string encode(const Conversation& message);
  static sdk::Result<Conversation> decodeConversation(const std::string& json);

  static std::string reactionName(sdk::Reaction reaction);  // GitHub's names: +1, -1, rocket, confused
  static sdk::Result<sdk::Reaction> reactionOf(const std::string& name);
  static std::string methodName(sdk::MergeMethod method);  // merge, squash, rebase
  static std::optional<sdk::MergeMethod> methodOf(const std::string& name);
};

}  // namespace ekaci::forge
