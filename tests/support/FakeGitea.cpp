#include "tests/support/FakeGitea.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

namespace ekaci::testsupport {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// Path segments, decoded.
std::vector<std::string> partsOf(const std::string& target) {
  std::vector<std::string> out;
  for (const auto& raw : LocalHttpServer::rawSegments(target)) {
    std::string decoded;
    Poco::URI::decode(raw, decoded);
    out.push_back(decoded);
  }
  return out;
}

Object::Ptr parse(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Object::Ptr>();
  } catch (const std::exception&) {
    return nullptr;
  }
}

Object::Ptr statusJson(const FakeGitea::Status& s) {
  Object::Ptr o = new Object;
  o->set("id", s.id);
  o->set("context", s.context);
  o->set("status", s.state);
  o->set("description", s.description);
  o->set("target_url", s.targetUrl);
  return o;
}

}  // namespace

FakeGitea::FakeGitea(std::string token)
    : token_(std::move(token)),
      swagger_(OpenApiValidator::load(swaggerPath())),
      server_([this](const LocalHttpServer::Request& request) { return handle(request); }) {}

std::string FakeGitea::swaggerPath() {
  return std::string(EKACI_SOURCE_DIR) + "/../shared/specs/gitea/swagger.v1.22.json";
}

void FakeGitea::setPullHead(std::int64_t number, const std::string& sha) {
  std::lock_guard lock(mutex_);
  pullHeads_[number] = sha;
}
void FakeGitea::setPermission(const std::string& login, const std::string& permission) {
  std::lock_guard lock(mutex_);
  permissions_[login] = permission;
}
void FakeGitea::setCommitDate(const std::string& sha, const std::string& isoDate) {
  std::lock_guard lock(mutex_);
  commitDates_[sha] = isoDate;
}
void FakeGitea::setMergeSettings(bool merge, bool squash, bool rebase) {
  std::lock_guard lock(mutex_);
  allowMerge_ = merge;
  allowSquash_ = squash;
  allowRebase_ = rebase;
}
void FakeGitea::addComment(const std::string& repository, std::int64_t number, std::int64_t id,
                           const std::string& body) {
  std::lock_guard lock(mutex_);
  comments_.push_back({id, repository, number, body, 0});
}
std::vector<std::string> FakeGitea::problems() const {
  std::lock_guard lock(mutex_);
  return problems_;
}
std::vector<FakeGitea::Status> FakeGitea::statuses() const {
  std::lock_guard lock(mutex_);
  return statuses_;
}
std::map<std::string, FakeGitea::Status> FakeGitea::statusesOf(const std::string& sha) const {
  std::lock_guard lock(mutex_);
  std::map<std::string, Status> out;
  for (const auto& s : statuses_) {
    if (s.sha == sha) out[s.context] = s;
  }
  return out;
}
std::vector<FakeGitea::Comment> FakeGitea::comments() const {
  std::lock_guard lock(mutex_);
  return comments_;
}
std::vector<FakeGitea::Reaction> FakeGitea::reactions() const {
  std::lock_guard lock(mutex_);
  return reactions_;
}
std::vector<FakeGitea::Merge> FakeGitea::merges() const {
  std::lock_guard lock(mutex_);
  return merges_;
}

LocalHttpServer::Answer FakeGitea::handle(const LocalHttpServer::Request& request) {
  const auto auth = request.headers.find("authorization");
  if (auth == request.headers.end() || auth->second != "token " + token_)
    return LocalHttpServer::message(401, "token is required");
  if (swagger_ == nullptr)
    return LocalHttpServer::message(500, "the fake has no swagger description at " + swaggerPath());
  const auto problems = swagger_->check(request.method, request.target, request.body);
  if (!problems.empty()) {
    std::lock_guard lock(mutex_);
    problems_.insert(problems_.end(), problems.begin(), problems.end());
    return LocalHttpServer::message(422, problems.front());
  }
  const Poco::URI uri(request.target);
  const auto p = partsOf(request.target);  // api v1 repos {owner} {repo} ...
  if (p.size() < 5 || p[0] != "api" || p[1] != "v1" || p[2] != "repos")
    return LocalHttpServer::message(404, "Not Found");
  const std::string repository = p[3] + "/" + p[4];
  const std::vector<std::string> rest(p.begin() + 5, p.end());
  const std::string& m = request.method;
  Object::Ptr body = request.body.empty() ? Object::Ptr(new Object) : parse(request.body);
  if (!body) return LocalHttpServer::message(400, "the body is not JSON");
  std::lock_guard lock(mutex_);

  if (rest.empty() && m == "GET") {
    Object::Ptr repo = new Object;
    repo->set("full_name", repository);
    repo->set("allow_merge_commits", allowMerge_);
    repo->set("allow_squash_merge", allowSquash_);
    repo->set("allow_rebase", allowRebase_);
    repo->set("allow_rebase_explicit", allowRebase_);
    return {200, LocalHttpServer::json(repo), {}};
  }
  if (rest.size() == 2 && rest[0] == "statuses") {
    const std::string& sha = rest[1];
    if (m == "POST") {
      const std::string description = body->optValue<std::string>("description", "");
      if (description.size() > 255) return LocalHttpServer::message(422, "description is longer than 255");
      Status s{nextId_++,
               repository,
               sha,
               body->optValue<std::string>("context", "default"),
               body->optValue<std::string>("state", ""),
               description,
               body->optValue<std::string>("target_url", "")};
      statuses_.push_back(s);
      return {201, LocalHttpServer::json(statusJson(s)), {}};
    }
    if (m == "GET") {
      const auto query = uri.getQueryParameters();
      std::size_t page = 1, limit = 30;
      for (const auto& [k, v] : query) {
        if (k == "page") page = std::stoul(v);
        if (k == "limit") limit = std::stoul(v);
      }
      std::vector<Status> of;
      for (auto it = statuses_.rbegin(); it != statuses_.rend(); ++it) {
        if (it->repository == repository && it->sha == sha) of.push_back(*it);
      }
      Array::Ptr out = new Array;
      for (std::size_t i = (page - 1) * limit; i < of.size() && i < page * limit; ++i) out->add(statusJson(of[i]));
      return {200, LocalHttpServer::json(out), {}};
    }
  }
  if (rest.size() == 3 && rest[0] == "issues" && rest[2] == "comments" && m == "POST") {
    Comment c{nextId_++, repository, std::stoll(rest[1]), body->optValue<std::string>("body", ""), 0};
    comments_.push_back(c);
    Object::Ptr o = new Object;
    o->set("id", c.id);
    o->set("body", c.body);
    return {201, LocalHttpServer::json(o), {}};
  }
  if (rest.size() >= 3 && rest[0] == "issues" && rest[1] == "comments") {
    const std::int64_t id = std::stoll(rest[2]);
    auto comment = std::find_if(comments_.begin(), comments_.end(),
                                [&](const Comment& c) { return c.id == id && c.repository == repository; });
    if (comment == comments_.end()) return LocalHttpServer::message(404, "comment does not exist");
    if (rest.size() == 3 && m == "PATCH") {
      comment->body = body->optValue<std::string>("body", "");
      ++comment->edits;
      Object::Ptr o = new Object;
      o->set("id", id);
      o->set("body", comment->body);
      return {200, LocalHttpServer::json(o), {}};
    }
    if (rest.size() == 4 && rest[3] == "reactions" && m == "POST") {
      const std::string content = body->optValue<std::string>("content", "");
      static const std::vector<std::string> kAllowed = {"+1",       "-1",    "laugh",  "hooray",
                                                        "confused", "heart", "rocket", "eyes"};
      if (std::find(kAllowed.begin(), kAllowed.end(), content) == kAllowed.end()) {
        return LocalHttpServer::message(403, "'" + content + "' is not an allowed reaction");
      }
      reactions_.push_back({repository, id, content});
      Object::Ptr o = new Object;
      o->set("content", content);
      return {201, LocalHttpServer::json(o), {}};
    }
  }
  if (rest.size() == 3 && rest[0] == "collaborators" && rest[2] == "permission" && m == "GET") {
    auto it = permissions_.find(rest[1]);
    if (it == permissions_.end()) return LocalHttpServer::message(404, "user does not exist");
    Object::Ptr o = new Object;
    o->set("permission", it->second);
    o->set("role_name", it->second);
    return {200, LocalHttpServer::json(o), {}};
  }
  if (rest.size() == 3 && rest[0] == "git" && rest[1] == "commits" && m == "GET") {
    auto it = commitDates_.find(rest[2]);
    if (it == commitDates_.end()) return LocalHttpServer::message(404, "commit does not exist");
    Object::Ptr who = new Object;
    who->set("date", it->second);
    Object::Ptr commit = new Object;
    commit->set("committer", who);
    Object::Ptr o = new Object;
    o->set("sha", rest[2]);
    o->set("commit", commit);
    return {200, LocalHttpServer::json(o), {}};
  }
  if (rest.size() == 3 && rest[0] == "pulls" && rest[2] == "merge" && m == "POST") {
    const std::int64_t number = std::stoll(rest[1]);
    const std::string how = body->optValue<std::string>("Do", "");
    const std::string sha = body->optValue<std::string>("head_commit_id", "");
    const bool allowed = (how == "merge" && allowMerge_) || (how == "squash" && allowSquash_) ||
                         ((how == "rebase" || how == "rebase-merge") && allowRebase_);
    if (!allowed) return LocalHttpServer::message(405, "merge style " + how + " is not allowed");
    auto head = pullHeads_.find(number);
    if (head == pullHeads_.end()) return LocalHttpServer::message(404, "pull request does not exist");
    if (!sha.empty() && sha != head->second) return LocalHttpServer::message(409, "head out of date");
    merges_.push_back({repository, number, how, sha});
    return {200, "", {}};
  }
  return LocalHttpServer::message(404, "Not Found");
}

}  // namespace ekaci::testsupport
