#pragma once

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ekaci::testsupport {

// A local GitHub for tests, on 127.0.0.1 and a free port, speaking the parts of the REST API
// a GitHub App uses for checks and merges: installation lookup and access tokens (the app JWT is
// verified with the app's public key: RS256, issuer, iat/exp within 10 minutes), check runs
// created, updated and listed per commit, repository merge settings, collaborator
// permissions, commit dates, issue comments and reactions, and pull-request merges that
// refuse a stale `sha` with 409 and a disabled method with 405 (an installation token it
// issued is required).
// Every request is recorded; faults can be scripted for the next requests.
class FakeGithub {
 public:
  struct Request {
    std::string method;
    std::string target;                          // path and query
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    int status = 0;  // what the fake answered
  };
  struct CheckRun {
    std::int64_t id = 0;
    std::string repository;  // owner/name
    std::string name;
    std::string headSha;
    std::string status;
    std::string conclusion;
    std::string title;
    std::string summary;
    std::string detailsUrl;
    int updates = 0;  // PATCHes after creation
  };
  struct Fault {
    int status = 500;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body = R"({"message":"Server Error"})";
    std::chrono::milliseconds delay{0};
    bool reset = false;  // close the connection without answering
  };

  struct Comment {
    std::int64_t id = 0;
    std::string repository;
    std::int64_t number = 0;
    std::string body;
  };
  struct Reaction {
    std::string repository;
    std::int64_t commentId = 0;
    std::string content;
  };
  struct Merge {
    std::string repository;
    std::int64_t number = 0;
    std::string method;
    std::string sha;
  };

  FakeGithub(std::string appId, std::string publicKeyPem, std::int64_t installationId);
  ~FakeGithub();

  std::uint16_t port() const;
  std::string apiUrl() const { return "http://127.0.0.1:" + std::to_string(port()); }

  // The next requests whose path starts with `prefix` get these answers, in order.
  void scriptFaults(const std::string& prefix, std::vector<Fault> faults);

  std::vector<Request> requests() const;
  std::vector<CheckRun> checkRuns() const;
  std::vector<std::string> issuedTokens() const;
  // Check runs of one commit by name (the latest of each name).
  std::map<std::string, CheckRun> checkRunsOf(const std::string& sha) const;

  // Pull requests, people and settings the merge endpoints answer from.
  void setPullHead(std::int64_t number, const std::string& sha);
  void setPermission(const std::string& login, const std::string& roleName);  // admin, maintain, write, triage, read
  void setCommitDate(const std::string& sha, const std::string& isoDate);
  void setMergeSettings(bool merge, bool squash, bool rebase);
  std::vector<Comment> comments() const;
  std::vector<Reaction> reactions() const;
  std::vector<Merge> merges() const;

  class Handler;

 private:
  friend class Handler;
  struct Answer {
    int status = 200;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  Answer handle(const Request& request);
  // Repositories, collaborators, commits, comments, reactions and merges.
  std::optional<Answer> conversation(const Request& request, const std::vector<std::string>& parts);
  std::optional<Fault> takeFault(const std::string& path);
  bool appJwtValid(const std::string& authorization, std::string& why) const;

  std::string appId_;
  std::string publicKeyPem_;
  std::int64_t installationId_;
  mutable std::mutex mutex_;
  std::vector<Request> requests_;
  std::vector<CheckRun> checkRuns_;
  std::vector<std::string> tokens_;
  std::deque<std::pair<std::string, Fault>> faults_;
  std::int64_t nextId_ = 1000;
  std::map<std::int64_t, std::string> pullHeads_;
  std::map<std::string, std::string> roles_;
  std::map<std::string, std::string> commitDates_;
  bool allowMerge_ = true, allowSquash_ = true, allowRebase_ = true;
  std::vector<Comment> comments_;
  std::vector<Reaction> reactions_;
  std::vector<Merge> merges_;
  // The destructor wakes scripted delays early and joins the threads that serve requests.
  bool stopping_ = false;
  std::condition_variable changed_;
  Poco::ThreadPool threads_{1, 8};
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace ekaci::testsupport
