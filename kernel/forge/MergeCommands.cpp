#include "kernel/forge/MergeCommands.h"

#include "kernel/forge/ForgeJson.h"
#include "kernel/forge/MergeCommandParser.h"
#include "kernel/review/MarkdownText.h"

namespace ekaci::forge {
namespace {

std::string list(const std::vector<std::string>& items) {
  std::string out;
  // Attribute names come from the pull request's own evaluation: code spans that nothing in
  // them can close (no mention, link or markup escapes).
  for (std::size_t i = 0; i < items.size() && i < 10; ++i)
    out += (i == 0 ? "" : ", ") + review::MarkdownText::code(items[i]);
  if (items.size() > 10) out += " and " + std::to_string(items.size() - 10) + " more";
  return out;
}

}  // namespace

std::int64_t MergeCommands::nowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(services_.clock.now().time_since_epoch()).count();
}

void MergeCommands::count(const char* outcome) {
  services_.metrics
      .counter("comment_commands_total", "Merge commands in pull-request comments, by outcome.", {{"outcome", outcome}})
      .increment();
}

sdk::Result<void> MergeCommands::handle(const std::string& forgeId, const sdk::ForgeEvent& event) {
  if (event.kind != sdk::ForgeEventKind::Comment || event.changeRequest.number == 0) return sdk::success();
  auto command = MergeCommandParser::parse(event.commentBody, options_.mention);
  if (!command) return sdk::success();
  const std::string author = MergeAuthority::lower(event.commentAuthor);
  const std::string self = MergeAuthority::lower(options_.mention);
  if (event.commentAuthorIsBot || author.empty() || author == self || author == self + "[bot]") {
    count("bot");
    return sdk::success();
  }
  const auto& repository = event.changeRequest.repository;
  const std::string user = !event.commentAuthorId.empty() ? "id:" + event.commentAuthorId : "login:" + author;
  if (!services_.limiter.admit(forgeId, repository.fullName(), user)) {
    count("rate_limited");
    return sdk::success();
  }
  auto listing = services_.storage.findPullRequestOf(forgeId, repository.owner, repository.name,
                                                     static_cast<std::int64_t>(event.changeRequest.number));
  if (!listing) return std::move(listing).error();
  if (!*listing) {
    // Never saw the pull request's events (opened before the app was installed): nothing
    // to pin a merge to. Its next push makes it known.
    count("unknown_pull_request");
    services_.logger.info(
        "merge command on a pull request eka-ci has not seen",
        {{"repository", repository.fullName()}, {"number", std::to_string(event.changeRequest.number)}});
    return sdk::success();
  }
  if ((*listing)->pullRequest.state != storage::ChangeRequestState::Open) {
    count("not_open");
    return sdk::success();
  }
  if (command->cancel) return cancel(forgeId, event, **listing);
  return merge(forgeId, event, **listing, command->method);
}

sdk::Result<void> MergeCommands::deny(const std::string& forgeId, const sdk::ForgeEvent& event,
                                      const std::string& why) {
  if (auto reacted = services_.outbox.react(forgeId, event.changeRequest, event.commentId, sdk::Reaction::Failure);
      !reacted) {
    return reacted;
  }
  return services_.outbox.comment(forgeId, event.changeRequest, "@" + event.commentAuthor + ", " + why);
}

sdk::Result<void> MergeCommands::merge(const std::string& forgeId, const sdk::ForgeEvent& event,
                                       const storage::PullRequestListing& listing,
                                       std::optional<sdk::MergeMethod> method) {
  const auto& repository = event.changeRequest.repository;
  const std::string head = listing.pullRequest.headSha;
  auto review = services_.merger.reviewOf(forgeId, repository.fullName(), listing.pullRequest.number, head);
  if (!review) return std::move(review).error();
  auto decision = services_.authority.decide(forgeId, repository, event.commentAuthor, review->changed);
  if (!decision) return std::move(decision).error();
  if (!decision->allowed) {
    count("denied");
    std::string why =
        "you cannot merge this pull request with eka-ci: that needs write, maintain or admin "
        "permission on " +
        repository.fullName() + ", or being a maintainer of every package it changes.";
    if (!review->concluded) {
      why += " The review of " + AutoMerger::shortSha(head) +
             " has not concluded yet, so the changed packages are not known.";
    } else if (review->changed.empty()) {
      why += " It changes no package.";
    } else {
      why += " You do not maintain " + list(decision->notMaintained) + ".";
    }
    return deny(forgeId, event, why);
  }
  // The commenter cannot have reviewed a head committed after they wrote the comment.
  if (event.commentCreatedAt > 0) {
    ForgeInstances::Instance* instance = services_.forges.find(forgeId);
    sdk::ForgeMerges* merges = instance != nullptr ? instance->forge->merges() : nullptr;
    if (merges != nullptr) {
      auto committed = merges->commitTime(repository, head);
      if (committed && *committed > event.commentCreatedAt + options_.pushGrace.count()) {
        count("refused_newer_head");
        return deny(forgeId, event,
                    "the head of this pull request is now " + AutoMerger::shortSha(head) +
                        ", committed after your comment. Review the new changes and comment `@" + options_.mention +
                        " merge` again.");
      }
      if (!committed) {
        services_.logger.info("cannot read the head's commit time; relying on the pinned head",
                              {{"head", head}, {"error", committed.error().describe()}});
      }
    }
  }
  auto found = services_.storage.findMergeRequest(forgeId, repository.fullName(), listing.pullRequest.number);
  if (!found) return std::move(found).error();
  storage::MergeRequestRecord record = found->value_or(storage::MergeRequestRecord{});
  record.forgeId = forgeId;
  record.repository = repository.fullName();
  record.number = listing.pullRequest.number;
  record.pinnedSha = head;
  record.commandMethod = method ? ForgeJson::methodName(*method) : "";
  record.requester = event.commentAuthor;
  record.requesterId = event.commentAuthorId;
  record.commentId = static_cast<std::int64_t>(event.commentId);
  record.requestedAt = event.commentCreatedAt > 0 ? event.commentCreatedAt : nowSeconds();
  record.mergedSha.clear();
  record.mergedMethod.clear();
  record.mergedBy.clear();
  record.mergedAt = 0;
  record.updatedAt = nowSeconds();
  if (auto saved = services_.storage.saveMergeRequest(record); !saved) return saved;
  count("accepted");
  if (auto reacted = services_.outbox.react(forgeId, event.changeRequest, event.commentId, sdk::Reaction::Acknowledge);
      !reacted) {
    return reacted;
  }
  auto merged = services_.merger.evaluate(forgeId, repository.owner, repository.name, listing.pullRequest.number);
  if (!merged) {
    services_.logger.warn("auto-merge evaluation failed", {{"error", merged.error().describe()}});
  }
  return sdk::success();
}

sdk::Result<void> MergeCommands::cancel(const std::string& forgeId, const sdk::ForgeEvent& event,
                                        const storage::PullRequestListing& listing) {
  const auto& repository = event.changeRequest.repository;
  auto found = services_.storage.findMergeRequest(forgeId, repository.fullName(), listing.pullRequest.number);
  if (!found) return std::move(found).error();
  if (!*found || (*found)->pinnedSha.empty() || !(*found)->mergedSha.empty()) {
    count("cancel_nothing_pending");  // silent: no reaction, no write
    return sdk::success();
  }
  storage::MergeRequestRecord record = **found;
  const bool requester = (!record.requesterId.empty() && record.requesterId == event.commentAuthorId) ||
                         (record.requesterId.empty() &&
                          MergeAuthority::lower(record.requester) == MergeAuthority::lower(event.commentAuthor));
  if (!requester) {
    auto review =
        services_.merger.reviewOf(forgeId, repository.fullName(), listing.pullRequest.number, record.pinnedSha);
    if (!review) return std::move(review).error();
    auto decision = services_.authority.decide(forgeId, repository, event.commentAuthor, review->changed);
    if (!decision) return std::move(decision).error();
    if (!decision->allowed) {
      count("cancel_denied");
      return deny(forgeId, event,
                  "you cannot cancel the merge @" + record.requester +
                      " asked for: that needs being its requester, write, maintain or admin permission on " +
                      repository.fullName() + ", or being a maintainer of every package the pull request changes.");
    }
  }
  record.clearCommand();
  record.updatedAt = nowSeconds();
  if (auto saved = services_.storage.saveMergeRequest(record); !saved) return saved;
  count("cancelled");
  return services_.outbox.react(forgeId, event.changeRequest, event.commentId, sdk::Reaction::Acknowledge);
}

}  // namespace ekaci::forge
