#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/LocalHttpServer.h"
#include "tests/support/OpenApiValidator.h"

namespace ekaci::testsupport {

// A local Gitea (/api/v1) for tests: commit statuses posted and listed per commit, issue
// comments created and edited, reactions, collaborator permissions, repository merge
// settings, commit dates and pull-request merges that refuse a stale head_commit_id with
// 409 and a disabled method with 405. Every request needs `Authorization: token <token>`
// (401 otherwise) and is checked against Gitea's swagger description
// (../shared/specs/gitea/); what does not match is answered 422 and listed in problems().
class FakeGitea {
 public:
  struct Status {
    std::int64_t id = 0;
    std::string repository;  // owner/name
    std::string sha;
    std::string context;
    std::string state;
    std::string description;
    std::string targetUrl;
  };
  struct Comment {
    std::int64_t id = 0;
    std::string repository;
    std::int64_t number = 0;
    std::string body;
    int edits = 0;
  };
  struct Reaction {
    std::string repository;
    std::int64_t commentId = 0;
    std::string content;
  };
  struct Merge {
    std::string repository;
    std::int64_t number = 0;
    std::string method;  // Gitea's Do
    std::string sha;
  };

  explicit FakeGitea(std::string token);

  std::string apiUrl() const { return server_.url() + "/api/v1"; }
  static std::string swaggerPath();

  void setPullHead(std::int64_t number, const std::string& sha);
  void setPermission(const std::string& login, const std::string& permission);  // owner, admin, write, read
  void setCommitDate(const std::string& sha, const std::string& isoDate);
  void setMergeSettings(bool merge, bool squash, bool rebase);
  // A comment someone wrote on the pull request (what a webhook then describes).
  void addComment(const std::string& repository, std::int64_t number, std::int64_t id, const std::string& body);
  void scriptFaults(const std::string& prefix, std::vector<LocalHttpServer::Answer> faults) {
    server_.scriptFaults(prefix, std::move(faults));
  }

  std::vector<LocalHttpServer::Request> requests() const { return server_.requests(); }
  std::vector<std::string> problems() const;
  // The latest status of each context of a commit.
  std::map<std::string, Status> statusesOf(const std::string& sha) const;
  std::vector<Status> statuses() const;
  std::vector<Comment> comments() const;
  std::vector<Reaction> reactions() const;
  std::vector<Merge> merges() const;

 private:
  LocalHttpServer::Answer handle(const LocalHttpServer::Request& request);

  std::string token_;
  std::unique_ptr<OpenApiValidator> swagger_;
  mutable std::mutex mutex_;
  std::vector<std::string> problems_;
  std::vector<Status> statuses_;
  std::vector<Comment> comments_;
  std::vector<Reaction> reactions_;
  std::vector<Merge> merges_;
  std::map<std::int64_t, std::string> pullHeads_;
  std::map<std::string, std::string> permissions_;
  std::map<std::string, std::string> commitDates_;
  bool allowMerge_ = true, allowSquash_ = true, allowRebase_ = true;
  std::int64_t nextId_ = 500;
  LocalHttpServer server_;  // last: it stops before the state it serves goes
};

}  // namespace ekaci::testsupport
