#include "tests/support/FakeGitlab.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <algorithm>

namespace ekaci::testsupport {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// The request's JSON object (an empty one for no body); null when it is not one.
Object::Ptr bodyOf(const std::string& text) {
  if (text.empty()) return new Object;
  try {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Object::Ptr>();
  } catch (const std::exception&) {
    return nullptr;
  }
}

bool finished(const std::string& state) {
  return state == "success" || state == "failed" || state == "canceled" || state == "skipped";
}

Object::Ptr statusJson(const FakeGitlab::Status& s) {
  Object::Ptr o = new Object;
  o->set("id", s.id);
  o->set("sha", s.sha);
  o->set("name", s.name);
  o->set("status", s.state);
  o->set("description", s.description);
  o->set("target_url", s.targetUrl);
  return o;
}

// GitLab's events on a commit status: which states each may leave.
std::string transitionProblem(const std::string& from, const std::string& to) {
  static const std::map<std::string, std::pair<std::string, std::set<std::string>>> kEvents = {
      {"pending", {"enqueue", {"created", "skipped", "manual", "scheduled"}}},
      {"running", {"run", {"created", "pending"}}},
      {"success", {"succeed", {"created", "pending", "running"}}},
      {"failed", {"drop", {"created", "pending", "running"}}},
      {"canceled", {"cancel", {"created", "pending", "running"}}},
      {"skipped", {"skip", {"created", "pending"}}},
  };
  const auto& [event, from_] = kEvents.at(to);
  if (from_.count(from) != 0) return {};
  return "Cannot transition status via :" + event + " from :" + from;
}

}  // namespace

FakeGitlab::FakeGitlab(std::string token, std::int64_t projectId, std::string projectPath)
    : token_(std::move(token)),
      projectId_(projectId),
      projectPath_(std::move(projectPath)),
      server_([this](const LocalHttpServer::Request& request) { return handle(request); }) {}

void FakeGitlab::setMergeRequestHead(std::int64_t iid, const std::string& sha) {
  std::lock_guard lock(mutex_);
  heads_[iid] = sha;
}
void FakeGitlab::setMember(const std::string& username, int accessLevel) {
  std::lock_guard lock(mutex_);
  members_[username] = accessLevel;
}
void FakeGitlab::setCommitDate(const std::string& sha, const std::string& isoDate) {
  std::lock_guard lock(mutex_);
  commitDates_[sha] = isoDate;
}
void FakeGitlab::setMergeOptions(const std::string& mergeMethod, const std::string& squashOption) {
  std::lock_guard lock(mutex_);
  mergeMethod_ = mergeMethod;
  squashOption_ = squashOption;
}
void FakeGitlab::addNote(std::int64_t iid, std::int64_t id, const std::string& body) {
  std::lock_guard lock(mutex_);
  notes_.push_back({id, iid, body, 0});
}
std::vector<std::string> FakeGitlab::problems() const {
  std::lock_guard lock(mutex_);
  return problems_;
}
std::vector<FakeGitlab::Status> FakeGitlab::statuses() const {
  std::lock_guard lock(mutex_);
  return statuses_;
}
std::map<std::string, FakeGitlab::Status> FakeGitlab::statusesOf(const std::string& sha) const {
  std::lock_guard lock(mutex_);
  std::map<std::string, Status> out;
  for (const auto& s : statuses_) {
    if (s.sha == sha) out[s.name] = s;
  }
  return out;
}
std::vector<FakeGitlab::Note> FakeGitlab::notes() const {
  std::lock_guard lock(mutex_);
  return notes_;
}
std::vector<FakeGitlab::Award> FakeGitlab::awards() const {
  std::lock_guard lock(mutex_);
  return awards_;
}
std::vector<FakeGitlab::Merge> FakeGitlab::merges() const {
  std::lock_guard lock(mutex_);
  return merges_;
}

LocalHttpServer::Answer FakeGitlab::refuse(const std::string& problem) {
  problems_.push_back(problem);
  return LocalHttpServer::message(400, problem);
}

LocalHttpServer::Answer FakeGitlab::handle(const LocalHttpServer::Request& request) {
  const auto privateToken = request.headers.find("private-token");
  const auto bearer = request.headers.find("authorization");
  const bool authenticated = (privateToken != request.headers.end() && privateToken->second == token_) ||
                             (bearer != request.headers.end() && bearer->second == "Bearer " + token_);
  if (!authenticated) return LocalHttpServer::message(401, "401 Unauthorized");
  const Poco::URI uri(request.target);
  const auto p = LocalHttpServer::rawSegments(request.target);
  if (p.size() < 4 || p[0] != "api" || p[1] != "v4" || p[2] != "projects")
    return LocalHttpServer::message(404, "404 Not Found");
  std::string project;
  Poco::URI::decode(p[3], project);
  if (project != std::to_string(projectId_) && project != projectPath_)
    return LocalHttpServer::message(404, "404 Project Not Found");
  const std::vector<std::string> rest(p.begin() + 4, p.end());
  const std::string& m = request.method;
  const auto query = uri.getQueryParameters();
  const Object::Ptr body = bodyOf(request.body);
  if (!body) return LocalHttpServer::message(400, "the body is not JSON");
  std::lock_guard lock(mutex_);
  const std::string what = m + " " + uri.getPath();
  auto only = [&](const std::set<std::string>& params, const std::set<std::string>& fields) -> std::string {
    for (const auto& [k, v] : query) {
      if (params.count(k) == 0) return what + ": '" + k + "' is not a documented parameter";
    }
    for (const auto& [k, v] : *body) {
      if (fields.count(k) == 0) return what + ": '" + k + "' is not a documented attribute";
    }
    return {};
  };

  if (rest.empty() && m == "GET") {
    if (auto problem = only({"statistics", "license", "with_custom_attributes"}, {}); !problem.empty()) {
      return refuse(problem);
    }
    Object::Ptr o = new Object;
    o->set("id", projectId_);
    o->set("path_with_namespace", projectPath_);
    o->set("merge_method", mergeMethod_);
    o->set("squash_option", squashOption_);
    return {200, LocalHttpServer::json(o), {}};
  }
  if (rest.size() == 2 && rest[0] == "statuses" && m == "POST") {
    if (auto problem =
            only({}, {"state", "ref", "name", "context", "target_url", "description", "coverage", "pipeline_id"});
        !problem.empty()) {
      return refuse(problem);
    }
    static const std::set<std::string> kStates = {"pending", "running", "success", "failed", "canceled", "skipped"};
    const std::string state = body->optValue<std::string>("state", "");
    if (kStates.count(state) == 0) return refuse(what + ": state does not have a valid value");
    const std::string description = body->optValue<std::string>("description", "");
    if (description.size() > 255) return refuse(what + ": description is too long (maximum is 255 characters)");
    const std::string name = body->optValue<std::string>("name", body->optValue<std::string>("context", "default"));
    auto latest = std::find_if(statuses_.rbegin(), statuses_.rend(),
                               [&](const Status& s) { return s.sha == rest[1] && s.name == name; });
    if (latest != statuses_.rend() && !finished(latest->state)) {
      if (auto problem = transitionProblem(latest->state, state); !problem.empty())
        return LocalHttpServer::message(400, problem);
      latest->state = state;
      latest->description = description;
      latest->targetUrl = body->optValue<std::string>("target_url", "");
      return {201, LocalHttpServer::json(statusJson(*latest)), {}};
    }
    // A new status (the first of its name, or after a finished one): it starts as created.
    if (auto problem = transitionProblem("created", state); !problem.empty())
      return LocalHttpServer::message(400, problem);
    Status s{nextId_++, rest[1], name, state, description, body->optValue<std::string>("target_url", "")};
    statuses_.push_back(s);
    return {201, LocalHttpServer::json(statusJson(s)), {}};
  }
  if (rest.size() == 4 && rest[0] == "repository" && rest[1] == "commits" && rest[3] == "statuses" && m == "GET") {
    if (auto problem = only({"ref", "stage", "name", "pipeline_id", "order_by", "sort", "all", "per_page", "page"}, {});
        !problem.empty()) {
      return refuse(problem);
    }
    std::map<std::string, Status> latest;
    for (const auto& s : statuses_) {
      if (s.sha == rest[2]) latest[s.name] = s;
    }
    Array::Ptr out = new Array;
    for (const auto& [name, s] : latest) out->add(statusJson(s));
    return {200, LocalHttpServer::json(out), {}};
  }
  if (rest.size() == 3 && rest[0] == "repository" && rest[1] == "commits" && m == "GET") {
    auto it = commitDates_.find(rest[2]);
    if (it == commitDates_.end()) return LocalHttpServer::message(404, "404 Commit Not Found");
    Object::Ptr o = new Object;
    o->set("id", rest[2]);
    o->set("committed_date", it->second);
    return {200, LocalHttpServer::json(o), {}};
  }
  if (rest.size() >= 3 && rest[0] == "merge_requests" && rest[2] == "notes") {
    const std::int64_t iid = std::stoll(rest[1]);
    if (rest.size() == 3 && m == "POST") {
      if (auto problem = only({}, {"body", "created_at", "merge_request_diff_head_sha", "internal"});
          !problem.empty()) {
        return refuse(problem);
      }
      if (!body->has("body")) return refuse(what + ": body is missing");
      Note note{nextId_++, iid, body->getValue<std::string>("body"), 0};
      notes_.push_back(note);
      Object::Ptr o = new Object;
      o->set("id", note.id);
      o->set("body", note.body);
      return {201, LocalHttpServer::json(o), {}};
    }
    const std::int64_t id = std::stoll(rest.at(3));
    auto note =
        std::find_if(notes_.begin(), notes_.end(), [&](const Note& n) { return n.id == id && n.mergeRequest == iid; });
    if (note == notes_.end()) return LocalHttpServer::message(404, "404 Note Not Found");
    if (rest.size() == 4 && m == "PUT") {
      if (auto problem = only({}, {"body"}); !problem.empty()) return refuse(problem);
      note->body = body->optValue<std::string>("body", "");
      ++note->edits;
      Object::Ptr o = new Object;
      o->set("id", id);
      o->set("body", note->body);
      return {200, LocalHttpServer::json(o), {}};
    }
    if (rest.size() == 5 && rest[4] == "award_emoji" && m == "POST") {
      if (auto problem = only({}, {"name"}); !problem.empty()) return refuse(problem);
      const std::string name = body->optValue<std::string>("name", "");
      static const std::set<std::string> kKnown = {"thumbsup", "thumbsdown", "rocket", "confused", "tada", "eyes"};
      if (kKnown.count(name) == 0) return refuse(what + ": '" + name + "' is not an emoji name");
      for (const auto& award : awards_) {
        if (award.noteId == id && award.name == name)
          return LocalHttpServer::message(404, "404 Award Emoji Name has already been taken");
      }
      awards_.push_back({id, name});
      Object::Ptr o = new Object;
      o->set("name", name);
      return {201, LocalHttpServer::json(o), {}};
    }
  }
  if (rest.size() == 2 && rest[0] == "members" && rest[1] == "all" && m == "GET") {
    if (auto problem = only({"query", "user_ids", "skip_users", "show_seat_info", "state", "per_page", "page"}, {});
        !problem.empty()) {
      return refuse(problem);
    }
    std::string search;
    for (const auto& [k, v] : query) {
      if (k == "query") search = v;
    }
    Array::Ptr out = new Array;
    std::int64_t id = 1;
    for (const auto& [username, level] : members_) {
      ++id;
      if (!search.empty() && username.find(search) == std::string::npos) continue;  // GitLab's search is fuzzy
      Object::Ptr o = new Object;
      o->set("id", id);
      o->set("username", username);
      o->set("access_level", level);
      out->add(o);
    }
    return {200, LocalHttpServer::json(out), {}};
  }
  if (rest.size() == 3 && rest[0] == "merge_requests" && rest[2] == "merge" && m == "PUT") {
    if (auto problem = only({}, {"merge_commit_message", "squash_commit_message", "squash",
                                 "should_remove_source_branch", "merge_when_pipeline_succeeds", "auto_merge", "sha"});
        !problem.empty()) {
      return refuse(problem);
    }
    const std::int64_t iid = std::stoll(rest[1]);
    auto head = heads_.find(iid);
    if (head == heads_.end()) return LocalHttpServer::message(404, "404 Not found");
    const bool squash = body->optValue<bool>("squash", false);
    if ((squash && squashOption_ == "never") || (!squash && squashOption_ == "always")) {
      return LocalHttpServer::message(405, "405 Method Not Allowed");
    }
    const std::string sha = body->optValue<std::string>("sha", "");
    if (!sha.empty() && sha != head->second)
      return LocalHttpServer::message(409, "SHA does not match HEAD of source branch");
    merges_.push_back({iid, sha, squash});
    Object::Ptr o = new Object;
    o->set("iid", iid);
    o->set("state", "merged");
    return {200, LocalHttpServer::json(o), {}};
  }
  return LocalHttpServer::message(404, "404 Not Found");
}

}  // namespace ekaci::testsupport
