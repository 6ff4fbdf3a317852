#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "tests/support/LocalHttpServer.h"

namespace ekaci::testsupport {

// A strict local GitLab (/api/v4) written from GitLab's REST documentation, for one project
// addressed by id or by its URL-encoded path: commit statuses (state machine included:
// posting the state a status has is a 400 "Cannot transition status", a finished status
// gets a new status of the same name), merge-request notes created and edited, award emoji
// on notes, members with access levels, the project's merge method and squash option,
// commit dates and merges that refuse a stale `sha` with 409. Every request needs
// PRIVATE-TOKEN (or an OAuth bearer token) — 401 otherwise — and may use only the
// parameters and body fields the documentation lists (400 and a line in problems() when it
// does not).
class FakeGitlab {
 public:
  struct Status {
    std::int64_t id = 0;
    std::string sha;
    std::string name;
    std::string state;
    std::string description;
    std::string targetUrl;
  };
  struct Note {
    std::int64_t id = 0;
    std::int64_t mergeRequest = 0;
    std::string body;
    int edits = 0;
  };
  struct Award {
    std::int64_t noteId = 0;
    std::string name;
  };
  struct Merge {
    std::int64_t mergeRequest = 0;
    std::string sha;
    bool squash = false;
  };

  FakeGitlab(std::string token, std::int64_t projectId, std::string projectPath);

  std::string apiUrl() const { return server_.url() + "/api/v4"; }

  void setMergeRequestHead(std::int64_t iid, const std::string& sha);
  void setMember(const std::string& username, int accessLevel);
  void setCommitDate(const std::string& sha, const std::string& isoDate);
  void setMergeOptions(const std::string& mergeMethod, const std::string& squashOption);
  // A note someone wrote on the merge request (what a Note Hook then describes).
  void addNote(std::int64_t iid, std::int64_t id, const std::string& body);
  void scriptFaults(const std::string& prefix, std::vector<LocalHttpServer::Answer> faults) {
    server_.scriptFaults(prefix, std::move(faults));
  }

  std::vector<LocalHttpServer::Request> requests() const { return server_.requests(); }
  std::vector<std::string> problems() const;
  std::vector<Status> statuses() const;
  // The latest status of each name of a commit.
  std::map<std::string, Status> statusesOf(const std::string& sha) const;
  std::vector<Note> notes() const;
  std::vector<Award> awards() const;
  std::vector<Merge> merges() const;

 private:
  LocalHttpServer::Answer handle(const LocalHttpServer::Request& request);
  LocalHttpServer::Answer refuse(const std::string& problem);

  std::string token_;
  std::int64_t projectId_;
  std::string projectPath_;
  mutable std::mutex mutex_;
  std::vector<std::string> problems_;
  std::vector<Status> statuses_;
  std::vector<Note> notes_;
  std::vector<Award> awards_;
  std::vector<Merge> merges_;
  std::map<std::int64_t, std::string> heads_;
  std::map<std::string, int> members_;
  std::map<std::string, std::string> commitDates_;
  std::string mergeMethod_ = "merge";
  std::string squashOption_ = "default_off";
  std::int64_t nextId_ = 3000;
  LocalHttpServer server_;  // last: it stops before the state it serves goes
};

}  // namespace ekaci::testsupport
