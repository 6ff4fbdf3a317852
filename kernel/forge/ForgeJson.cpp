#include "kernel/forge/ForgeJson.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <array>
#include <sstream>
#include <utility>

namespace ekaci::forge {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr std::array<std::pair<sdk::ForgeEventKind, const char*>, 18> kKinds = {{
    {sdk::ForgeEventKind::ChangeRequestOpened, "change_request_opened"},
    {sdk::ForgeEventKind::ChangeRequestUpdated, "change_request_updated"},
    {sdk::ForgeEventKind::ChangeRequestEdited, "change_request_edited"},
    {sdk::ForgeEventKind::ChangeRequestClosed, "change_request_closed"},
    {sdk::ForgeEventKind::ChangeRequestMerged, "change_request_merged"},
    {sdk::ForgeEventKind::ChangeRequestReopened, "change_request_reopened"},
    {sdk::ForgeEventKind::ChangeRequestReadyForReview, "change_request_ready_for_review"},
    {sdk::ForgeEventKind::ChangeRequestConvertedToDraft, "change_request_converted_to_draft"},
    {sdk::ForgeEventKind::Push, "push"},
    {sdk::ForgeEventKind::Comment, "comment"},
    {sdk::ForgeEventKind::ReviewSubmitted, "review_submitted"},
    {sdk::ForgeEventKind::ReviewDismissed, "review_dismissed"},
    {sdk::ForgeEventKind::MergeQueueEntry, "merge_queue_entry"},
    {sdk::ForgeEventKind::MergeQueueRemoved, "merge_queue_removed"},
    {sdk::ForgeEventKind::RerunRequested, "rerun_requested"},
    {sdk::ForgeEventKind::Installation, "installation"},
    {sdk::ForgeEventKind::Ping, "ping"},
    {sdk::ForgeEventKind::Other, "other"},
}};

constexpr std::array<std::pair<sdk::CommitState, const char*>, 8> kStates = {{
    {sdk::CommitState::Pending, "pending"},
    {sdk::CommitState::Running, "running"},
    {sdk::CommitState::Success, "success"},
    {sdk::CommitState::Failure, "failure"},
    {sdk::CommitState::Error, "error"},
    {sdk::CommitState::Cancelled, "cancelled"},
    {sdk::CommitState::Skipped, "skipped"},
    {sdk::CommitState::Neutral, "neutral"},
}};

std::string text(const Object::Ptr& object, const std::string& key) {
  return object->has(key) && !object->isNull(key) ? object->getValue<std::string>(key) : std::string();
}

std::uint64_t number(const Object::Ptr& object, const std::string& key) {
  return object->has(key) && !object->isNull(key) ? object->getValue<std::uint64_t>(key) : 0;
}

bool flag(const Object::Ptr& object, const std::string& key) {
  return object->has(key) && !object->isNull(key) && object->getValue<bool>(key);
}

Object::Ptr repositoryJson(const sdk::RepositoryRef& r) {
  Object::Ptr o = new Object;
  o->set("forge_id", r.forgeId);
  o->set("owner", r.owner);
  o->set("name", r.name);
  o->set("clone_url", r.cloneUrl);
  o->set("default_branch", r.defaultBranch);
  o->set("project_id", r.projectId);
  o->set("installation_id", r.installationId);
  return o;
}

sdk::RepositoryRef repositoryOf(const Object::Ptr& o) {
  sdk::RepositoryRef r;
  if (!o) return r;
  r.forgeId = text(o, "forge_id");
  r.owner = text(o, "owner");
  r.name = text(o, "name");
  r.cloneUrl = text(o, "clone_url");
  r.defaultBranch = text(o, "default_branch");
  r.projectId = text(o, "project_id");
  r.installationId = text(o, "installation_id");
  return r;
}

std::string stringify(const Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

sdk::Result<Object::Ptr> parseObject(const std::string& json, const char* what) {
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(json).extract<Object::Ptr>();
    if (!object) return sdk::Error(sdk::ErrorCode::StorageQuery, std::string("stored ") + what + " is not an object");
    return object;
  } catch (const Poco::Exception& e) {
    return sdk::Error(sdk::ErrorCode::StorageQuery, std::string("stored ") + what + " is not JSON: " + e.displayText());
  }
}

Object::Ptr changeRequestJson(const sdk::ChangeRequestRef& cr) {
  Object::Ptr change = new Object;
  change->set("repository", repositoryJson(cr.repository));
  change->set("number", cr.number);
  change->set("title", cr.title);
  change->set("author", cr.author);
  change->set("base_branch", cr.baseBranch);
  change->set("base_sha", cr.baseSha);
  change->set("head_branch", cr.headBranch);
  change->set("head_sha", cr.headSha);
  change->set("head_clone_url", cr.headCloneUrl);
  change->set("from_fork", cr.fromFork);
  change->set("draft", cr.draft);
  return change;
}

sdk::ChangeRequestRef changeRequestOf(const Object::Ptr& change) {
  sdk::ChangeRequestRef cr;
  cr.repository = repositoryOf(change->getObject("repository"));
  cr.number = number(change, "number");
  cr.title = text(change, "title");
  cr.author = text(change, "author");
  cr.baseBranch = text(change, "base_branch");
  cr.baseSha = text(change, "base_sha");
  cr.headBranch = text(change, "head_branch");
  cr.headSha = text(change, "head_sha");
  cr.headCloneUrl = text(change, "head_clone_url");
  cr.fromFork = flag(change, "from_fork");
  cr.draft = flag(change, "draft");
  return cr;
}

}  // namespace

std::string ForgeJson::kindName(sdk::ForgeEventKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "other";
}

sdk::Result<sdk::ForgeEventKind> ForgeJson::kindOf(const std::string& name) {
  for (const auto& [k, n] : kKinds) {
    if (name == n) return k;
  }
  return sdk::Error(sdk::ErrorCode::InvalidArgument, "unknown forge event kind '" + name + "'");
}

std::string ForgeJson::stateName(sdk::CommitState state) {
  for (const auto& [s, name] : kStates) {
    if (s == state) return name;
  }
  return "pending";
}

sdk::Result<sdk::CommitState> ForgeJson::stateOf(const std::string& name) {
  for (const auto& [s, n] : kStates) {
    if (name == n) return s;
  }
  return sdk::Error(sdk::ErrorCode::InvalidArgument, "unknown report state '" + name + "'");
}

std::string ForgeJson::encode(const sdk::ForgeEvent& e) {
  Object::Ptr o = new Object;
  o->set("kind", kindName(e.kind));
  o->set("delivery_id", e.deliveryId);
  o->set("event_name", e.eventName);
  o->set("action", e.action);
  o->set("installation_id", e.installationId);
  o->set("change_request", changeRequestJson(e.changeRequest));
  o->set("repository", repositoryJson(e.repository));
  o->set("ref", e.ref);
  o->set("before_sha", e.beforeSha);
  o->set("after_sha", e.afterSha);
  o->set("comment_id", e.commentId);
  o->set("comment_author", e.commentAuthor);
  o->set("comment_author_id", e.commentAuthorId);
  o->set("comment_author_is_bot", e.commentAuthorIsBot);
  o->set("comment_created_at", e.commentCreatedAt);
  o->set("comment_body", e.commentBody);
  o->set("review_state", e.reviewState);
  o->set("reviewer", e.reviewer);
  o->set("base_changed", e.baseChanged);
  o->set("report_id", e.reportId);
  Array::Ptr repositories = new Array;
  for (const auto& r : e.installationRepositories) repositories->add(repositoryJson(r));
  o->set("installation_repositories", repositories);
  o->set("installation_removed", e.installationRemoved);
  return stringify(o);
}

sdk::Result<sdk::ForgeEvent> ForgeJson::decodeEvent(const std::string& json) {
  auto parsed = parseObject(json, "forge event");
  if (!parsed) return std::move(parsed).error();
  const Object::Ptr& o = *parsed;
  try {
    sdk::ForgeEvent e;
    auto kind = kindOf(text(o, "kind"));
    if (!kind) return std::move(kind).error();
    e.kind = *kind;
    e.deliveryId = text(o, "delivery_id");
    e.eventName = text(o, "event_name");
    e.action = text(o, "action");
    e.installationId = text(o, "installation_id");
    if (auto change = o->getObject("change_request")) e.changeRequest = changeRequestOf(change);
    e.repository = repositoryOf(o->getObject("repository"));
    e.ref = text(o, "ref");
    e.beforeSha = text(o, "before_sha");
    e.afterSha = text(o, "after_sha");
    e.commentId = number(o, "comment_id");
    e.commentAuthor = text(o, "comment_author");
    e.commentAuthorId = text(o, "comment_author_id");
    e.commentAuthorIsBot = flag(o, "comment_author_is_bot");
    e.commentCreatedAt = o->optValue<std::int64_t>("comment_created_at", 0);
    e.commentBody = text(o, "comment_body");
    e.reviewState = text(o, "review_state");
    e.reviewer = text(o, "reviewer");
    e.baseChanged = flag(o, "base_changed");
    e.reportId = text(o, "report_id");
    if (auto repositories = o->getArray("installation_repositories")) {
      for (std::size_t i = 0; i < repositories->size(); ++i) {
        e.installationRepositories.push_back(repositoryOf(repositories->getObject(static_cast<unsigned>(i))));
      }
    }
    e.installationRemoved = flag(o, "installation_removed");
    return e;
  } catch (const Poco::Exception& ex) {
    return sdk::Error(sdk::ErrorCode::StorageQuery, "stored forge event is malformed: " + ex.displayText());
  }
}

std::string ForgeJson::encode(const Outgoing& outgoing) {
  Object::Ptr o = new Object;
  o->set("repository", repositoryJson(outgoing.repository));
  o->set("commit_sha", outgoing.commitSha);
  const auto& r = outgoing.report;
  Object::Ptr report = new Object;
  report->set("name", r.name);
  report->set("state", stateName(r.state));
  report->set("title", r.title);
  report->set("summary", r.summary);
  report->set("details_url", r.detailsUrl);
  report->set("external_id", r.externalId);
  o->set("report", report);
  return stringify(o);
}

sdk::Result<ForgeJson::Outgoing> ForgeJson::decodeOutgoing(const std::string& json) {
  auto parsed = parseObject(json, "forge report");
  if (!parsed) return std::move(parsed).error();
  const Object::Ptr& o = *parsed;
  try {
    Outgoing out;
    out.repository = repositoryOf(o->getObject("repository"));
    out.commitSha = text(o, "commit_sha");
    auto report = o->getObject("report");
    if (!report) return sdk::Error(sdk::ErrorCode::StorageQuery, "stored forge report has no report");
    out.report.name = text(report, "name");
    auto state = stateOf(text(report, "state"));
    if (!state) return std::move(state).error();
    out.report.state = *state;
    out.report.title = text(report, "title");
    out.report.summary = text(report, "summary");
    out.report.detailsUrl = text(report, "details_url");
    out.report.externalId = text(report, "external_id");
    return out;
  } catch (const Poco::Exception& ex) {
    return sdk::Error(sdk::ErrorCode::StorageQuery, "stored forge report is malformed: " + ex.displayText());
  }
}

std::string ForgeJson::encode(const Conversation& message) {
  Object::Ptr o = new Object;
  o->set("change_request", changeRequestJson(message.changeRequest));
  o->set("comment_id", message.commentId);
  o->set("markdown", message.markdown);
  o->set("reaction", message.reaction ? reactionName(*message.reaction) : std::string());
  return stringify(o);
}

sdk::Result<ForgeJson::Conversation> ForgeJson::decodeConversation(const std::string& json) {
  auto parsed = parseObject(json, "forge conversation message");
  if (!parsed) return std::move(parsed).error();
  const Object::Ptr& o = *parsed;
  try {
    Conversation out;
    auto change = o->getObject("change_request");
    if (!change) return sdk::Error(sdk::ErrorCode::StorageQuery, "stored conversation message names no pull request");
    out.changeRequest = changeRequestOf(change);
    out.commentId = number(o, "comment_id");
    out.markdown = text(o, "markdown");
    const std::string reaction = text(o, "reaction");
    if (!reaction.empty()) {
      auto parsedReaction = reactionOf(reaction);
      if (!parsedReaction) return std::move(parsedReaction).error();
      out.reaction = *parsedReaction;
    }
    return out;
  } catch (const Poco::Exception& ex) {
    return sdk::Error(sdk::ErrorCode::StorageQuery, "stored conversation message is malformed: " + ex.displayText());
  }
}

std::string ForgeJson::reactionName(sdk::Reaction reaction) {
  switch (reaction) {
    case sdk::Reaction::Acknowledge:
      return "+1";
    case sdk::Reaction::Failure:
      return "-1";
    case sdk::Reaction::Success:
      return "rocket";
    case sdk::Reaction::Confused:
      return "confused";
  }
  return "+1";
}

sdk::Result<sdk::Reaction> ForgeJson::reactionOf(const std::string& name) {
  for (auto reaction :
       {sdk::Reaction::Acknowledge, sdk::Reaction::Failure, sdk::Reaction::Success, sdk::Reaction::Confused}) {
    if (reactionName(reaction) == name) return reaction;
  }
  return sdk::Error(sdk::ErrorCode::InvalidArgument, "unknown reaction '" + name + "'");
}

std::string ForgeJson::methodName(sdk::MergeMethod method) {
  switch (method) {
    case sdk::MergeMethod::Merge:
      return "merge";
    case sdk::MergeMethod::Squash:
      return "squash";
    case sdk::MergeMethod::Rebase:
      return "rebase";
  }
  return "squash";
}

std::optional<sdk::MergeMethod> ForgeJson::methodOf(const std::string& name) {
  for (auto method : {sdk::MergeMethod::Merge, sdk::MergeMethod::Squash, sdk::MergeMethod::Rebase}) {
    if (methodName(method) == name) return method;
  }
  return std::nullopt;
}

}  // namespace ekaci::forge
