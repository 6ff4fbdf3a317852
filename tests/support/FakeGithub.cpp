#include "tests/support/FakeGithub.h"

#include <Poco/Crypto/RSAKey.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <sstream>
#include <thread>

namespace ekaci::testsupport {
namespace {

using Poco::JSON::Object;

std::string stringify(const Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::stringstream in(path);
  std::string part;
  while (std::getline(in, part, '/')) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

Object::Ptr runJson(const FakeGithub::CheckRun& run) {
  Object::Ptr o = new Object;
  o->set("id", run.id);
  o->set("name", run.name);
  o->set("head_sha", run.headSha);
  o->set("status", run.status);
  if (run.conclusion.empty()) {
    o->set("conclusion", Poco::Dynamic::Var());
  } else {
    o->set("conclusion", run.conclusion);
  }
  o->set("details_url", run.detailsUrl);
  Object::Ptr output = new Object;
  output->set("title", run.title);
  output->set("summary", run.summary);
  o->set("output", output);
  return o;
}

}  // namespace

class FakeGithub::Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(FakeGithub& fake) : fake_(fake) {}
  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
    {
      std::lock_guard lock(fake_.mutex_);
      if (fake_.stopping_) return;
    }
    serve(in, out);
  }

  void serve(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) {
    Request request;
    request.method = in.getMethod();
    request.target = in.getURI();
    for (const auto& [name, value] : in) {
      std::string key = name;
      for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers[key] = value;
    }
    Poco::StreamCopier::copyToString(in.stream(), request.body);
    const std::string path = Poco::URI(request.target).getPath();
    if (auto fault = fake_.takeFault(path)) {
      if (fault->delay.count() > 0) {
        std::unique_lock lock(fake_.mutex_);
        fake_.changed_.wait_for(lock, fault->delay, [this] { return fake_.stopping_; });
        if (fake_.stopping_) return;
      }
      request.status = fault->reset ? -1 : fault->status;
      {
        std::lock_guard lock(fake_.mutex_);
        fake_.requests_.push_back(request);
      }
      if (fault->reset) {
        // An abrupt close: the client sees a connection reset, not an answer.
        throw Poco::Net::ConnectionResetException("scripted reset");
      }
      out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(fault->status));
      for (const auto& [k, v] : fault->headers) out.set(k, v);
      out.setContentType("application/json");
      out.sendBuffer(fault->body.data(), fault->body.size());
      return;
    }
    Answer answer = fake_.handle(request);
    request.status = answer.status;
    {
      std::lock_guard lock(fake_.mutex_);
      fake_.requests_.push_back(request);
    }
    out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    out.set("X-RateLimit-Remaining", "4999");
    for (const auto& [k, v] : answer.headers) out.set(k, v);
    out.setContentType("application/json");
    out.sendBuffer(answer.body.data(), answer.body.size());
  }

  FakeGithub& fake_;
};

namespace {
class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(FakeGithub& fake) : fake_(fake) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new FakeGithub::Handler(fake_);
  }

 private:
  FakeGithub& fake_;
};
}  // namespace

FakeGithub::FakeGithub(std::string appId, std::string publicKeyPem, std::int64_t installationId)
    : appId_(std::move(appId)), publicKeyPem_(std::move(publicKeyPem)), installationId_(installationId) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(8);
  params->setKeepAlive(true);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), threads_, socket, params);
  server_->start();
}

FakeGithub::~FakeGithub() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  server_->stopAll(true);
  // Connections finish on the fake's own threads: once they are joined no handler can touch
  // the fake any more.
  threads_.joinAll();
}

std::uint16_t FakeGithub::port() const {
  return server_->port();
}

void FakeGithub::scriptFaults(const std::string& prefix, std::vector<Fault> faults) {
  std::lock_guard lock(mutex_);
  for (auto& fault : faults) faults_.emplace_back(prefix, std::move(fault));
}

std::optional<FakeGithub::Fault> FakeGithub::takeFault(const std::string& path) {
  std::lock_guard lock(mutex_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (path.rfind(it->first, 0) == 0) {
      Fault fault = it->second;
      faults_.erase(it);
      return fault;
    }
  }
  return std::nullopt;
}

std::vector<FakeGithub::Request> FakeGithub::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::vector<FakeGithub::CheckRun> FakeGithub::checkRuns() const {
  std::lock_guard lock(mutex_);
  return checkRuns_;
}

std::vector<std::string> FakeGithub::issuedTokens() const {
  std::lock_guard lock(mutex_);
  return tokens_;
}

std::map<std::string, FakeGithub::CheckRun> FakeGithub::checkRunsOf(const std::string& sha) const {
  std::lock_guard lock(mutex_);
  std::map<std::string, CheckRun> out;
  for (const auto& run : checkRuns_) {
    if (run.headSha == sha) out[run.name] = run;
  }
  return out;
}

bool FakeGithub::appJwtValid(const std::string& authorization, std::string& why) const {
  if (authorization.rfind("Bearer ", 0) != 0) {
    why = "no bearer token";
    return false;
  }
  try {
    std::istringstream pem(publicKeyPem_);
    Poco::SharedPtr<Poco::Crypto::RSAKey> key(new Poco::Crypto::RSAKey(&pem));
    Poco::JWT::Signer signer(key);
    signer.addAlgorithm(Poco::JWT::Signer::ALGO_RS256);
    Poco::JWT::Token token;
    if (!signer.tryVerify(authorization.substr(7), token)) {
      why = "JWT signature does not verify";
      return false;
    }
    if (token.getIssuer() != appId_) {
      why = "JWT issuer is not the app";
      return false;
    }
    const auto iat = token.getIssuedAt().epochTime();
    const auto exp = token.getExpiration().epochTime();
    const auto now = std::time(nullptr);
    if (exp - iat > 600 || iat > now + 60 || exp < now) {
      why = "JWT times are outside GitHub's limits";
      return false;
    }
    return true;
  } catch (const Poco::Exception& e) {
    why = "JWT unreadable: " + e.displayText();
    return false;
  }
}

FakeGithub::Answer FakeGithub::handle(const Request& request) {
  const Poco::URI uri(request.target);
  const auto parts = segments(uri.getPath());
  const std::string authorization = request.headers.count("authorization") ? request.headers.at("authorization") : "";
  auto error = [](int status, const std::string& message) {
    return Answer{status, R"({"message":")" + message + R"("})", {}};
  };
  // Installation endpoints: the app JWT.
  if (parts.size() == 4 && parts[0] == "repos" && parts[3] == "installation" && request.method == "GET") {
    std::string why;
    if (!appJwtValid(authorization, why)) return error(401, why);
    return Answer{200, R"({"id":)" + std::to_string(installationId_) + "}", {}};
  }
  if (parts.size() == 4 && parts[0] == "app" && parts[1] == "installations" && parts[3] == "access_tokens" &&
      request.method == "POST") {
    std::string why;
    if (!appJwtValid(authorization, why)) return error(401, why);
    if (parts[2] != std::to_string(installationId_)) return error(404, "Not Found");
    std::lock_guard lock(mutex_);
    const std::string token = "ghs_fake" + std::to_string(nextId_++) + "x";
    tokens_.push_back(token);
    char expires[32];
    const std::time_t later = std::time(nullptr) + 3600;
    std::tm tm{};
    gmtime_r(&later, &tm);
    if (std::strftime(expires, sizeof expires, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) return error(500, "clock");
    return Answer{201, R"({"token":")" + token + R"(","expires_at":")" + expires + R"("})", {}};
  }
  // Repository endpoints: an installation token this fake issued.
  {
    std::lock_guard lock(mutex_);
    const bool known = authorization.rfind("Bearer ", 0) == 0 &&
                       std::find(tokens_.begin(), tokens_.end(), authorization.substr(7)) != tokens_.end();
    if (!known) return error(401, "Bad credentials");
  }
  if (parts.size() >= 4 && parts[0] == "repos" && parts[3] == "check-runs") {
    const std::string repository = parts[1] + "/" + parts[2];
    Object::Ptr body;
    try {
      Poco::JSON::Parser parser;
      body = parser.parse(request.body).extract<Object::Ptr>();
    } catch (const std::exception&) {
      return error(400, "Problems parsing JSON");
    }
    const std::string status = body->optValue<std::string>("status", "");
    const std::string conclusion = body->optValue<std::string>("conclusion", "");
    if (status == "completed" && conclusion.empty()) return error(422, "conclusion is required when completed");
    auto apply = [&](CheckRun& run) {
      if (!status.empty()) run.status = status;
      if (!conclusion.empty()) {
        run.conclusion = conclusion;
        run.status = "completed";
      } else if (!status.empty() && status != "completed") {
        run.conclusion.clear();
      }
      if (body->has("details_url")) run.detailsUrl = body->getValue<std::string>("details_url");
      if (auto output = body->getObject("output")) {
        run.title = output->optValue<std::string>("title", "");
        run.summary = output->optValue<std::string>("summary", "");
      }
    };
    std::lock_guard lock(mutex_);
    if (parts.size() == 4 && request.method == "POST") {
      CheckRun run;
      run.id = nextId_++;
      run.repository = repository;
      run.name = body->optValue<std::string>("name", "");
      run.headSha = body->optValue<std::string>("head_sha", "");
      run.status = "queued";
      apply(run);
      checkRuns_.push_back(run);
      return Answer{201, stringify(runJson(run)), {}};
    }
    if (parts.size() == 5 && request.method == "PATCH") {
      for (auto& run : checkRuns_) {
        if (std::to_string(run.id) == parts[4] && run.repository == repository) {
          apply(run);
          ++run.updates;
          return Answer{200, stringify(runJson(run)), {}};
        }
      }
      return error(404, "Not Found");
    }
  }
  if (auto answer = conversation(request, parts)) return *answer;
  if (parts.size() == 6 && parts[0] == "repos" && parts[3] == "commits" && parts[5] == "check-runs" &&
      request.method == "GET") {
    const std::string repository = parts[1] + "/" + parts[2];
    Poco::JSON::Array::Ptr runs = new Poco::JSON::Array;
    std::lock_guard lock(mutex_);
    for (const auto& run : checkRuns_) {
      if (run.repository == repository && run.headSha == parts[4]) runs->add(runJson(run));
    }
    Object::Ptr answer = new Object;
    answer->set("total_count", runs->size());
    answer->set("check_runs", runs);
    return Answer{200, stringify(answer), {}};
  }
  return error(404, "Not Found");
}

std::optional<FakeGithub::Answer> FakeGithub::conversation(const Request& request,
                                                           const std::vector<std::string>& parts) {
  if (parts.size() < 3 || parts[0] != "repos") return std::nullopt;
  const std::string repository = parts[1] + "/" + parts[2];
  auto error = [](int status, const std::string& message) {
    return Answer{status, R"({"message":")" + message + R"("})", {}};
  };
  auto parseBody = [&]() -> Object::Ptr {
    try {
      Poco::JSON::Parser parser;
      return parser.parse(request.body).extract<Object::Ptr>();
    } catch (const std::exception&) {
      return nullptr;
    }
  };
  std::lock_guard lock(mutex_);
  if (parts.size() == 3 && request.method == "GET") {
    Object::Ptr repo = new Object;
    repo->set("id", 4711);
    repo->set("name", parts[2]);
    repo->set("full_name", repository);
    repo->set("allow_merge_commit", allowMerge_);
    repo->set("allow_squash_merge", allowSquash_);
    repo->set("allow_rebase_merge", allowRebase_);
    return Answer{200, stringify(repo), {}};
  }
  if (parts.size() == 6 && parts[3] == "collaborators" && parts[5] == "permission" && request.method == "GET") {
    auto found = roles_.find(parts[4]);
    const std::string role = found == roles_.end() ? "read" : found->second;
    const std::string classic = role == "maintain" ? "write" : role == "triage" ? "read" : role;
    Object::Ptr answer = new Object;
    answer->set("permission", classic);
    answer->set("role_name", role);
    Object::Ptr user = new Object;
    user->set("login", parts[4]);
    answer->set("user", user);
    return Answer{200, stringify(answer), {}};
  }
  if (parts.size() == 5 && parts[3] == "commits" && request.method == "GET") {
    auto found = commitDates_.find(parts[4]);
    if (found == commitDates_.end()) return error(404, "No commit found for SHA: " + parts[4]);
    Object::Ptr committer = new Object;
    committer->set("date", found->second);
    Object::Ptr commit = new Object;
    commit->set("committer", committer);
    Object::Ptr answer = new Object;
    answer->set("sha", parts[4]);
    answer->set("commit", commit);
    return Answer{200, stringify(answer), {}};
  }
  if (parts.size() == 6 && parts[3] == "issues" && parts[5] == "comments" && request.method == "POST") {
    auto body = parseBody();
    if (!body || !body->has("body")) return error(422, "body is required");
    Comment comment{nextId_++, repository, std::stoll(parts[4]), body->getValue<std::string>("body")};
    comments_.push_back(comment);
    Object::Ptr answer = new Object;
    answer->set("id", comment.id);
    answer->set("body", comment.body);
    return Answer{201, stringify(answer), {}};
  }
  if (parts.size() == 6 && parts[3] == "issues" && parts[4] == "comments" && request.method == "PATCH") {
    auto body = parseBody();
    if (!body || !body->has("body")) return error(422, "body is required");
    for (auto& comment : comments_) {
      if (std::to_string(comment.id) == parts[5] && comment.repository == repository) {
        comment.body = body->getValue<std::string>("body");
        Object::Ptr answer = new Object;
        answer->set("id", comment.id);
        answer->set("body", comment.body);
        return Answer{200, stringify(answer), {}};
      }
    }
    return error(404, "Not Found");
  }
  if (parts.size() == 7 && parts[3] == "issues" && parts[4] == "comments" && parts[6] == "reactions" &&
      request.method == "POST") {
    auto body = parseBody();
    const std::string content = body ? body->optValue<std::string>("content", "") : "";
    static const std::vector<std::string> kContents = {"+1",    "-1",     "laugh",  "confused",
                                                       "heart", "hooray", "rocket", "eyes"};
    if (std::find(kContents.begin(), kContents.end(), content) == kContents.end()) {
      return error(422, "content is not a reaction");
    }
    reactions_.push_back(Reaction{repository, std::stoll(parts[5]), content});
    Object::Ptr answer = new Object;
    answer->set("id", nextId_++);
    answer->set("content", content);
    return Answer{201, stringify(answer), {}};
  }
  if (parts.size() == 6 && parts[3] == "pulls" && parts[5] == "merge" && request.method == "PUT") {
    auto body = parseBody();
    if (!body) return error(400, "Problems parsing JSON");
    const std::int64_t number = std::stoll(parts[4]);
    auto head = pullHeads_.find(number);
    if (head == pullHeads_.end()) return error(404, "Not Found");
    const std::string method = body->optValue<std::string>("merge_method", "merge");
    const std::string sha = body->optValue<std::string>("sha", "");
    if (!sha.empty() && sha != head->second) {
      return error(409, "Head branch was modified. Review and try the merge again.");
    }
    if ((method == "merge" && !allowMerge_) || (method == "squash" && !allowSquash_) ||
        (method == "rebase" && !allowRebase_)) {
      return error(405, "Merge method " + method + " is not allowed on this repository.");
    }
    merges_.push_back(Merge{repository, number, method, sha});
    pullHeads_.erase(head);  // merged: a second merge finds nothing open
    Object::Ptr answer = new Object;
    answer->set("sha", "9999999999999999999999999999999999999999");
    answer->set("merged", true);
    answer->set("message", "Pull Request successfully merged");
    return Answer{200, stringify(answer), {}};
  }
  return std::nullopt;
}

void FakeGithub::setPullHead(std::int64_t number, const std::string& sha) {
  std::lock_guard lock(mutex_);
  pullHeads_[number] = sha;
}

void FakeGithub::setPermission(const std::string& login, const std::string& roleName) {
  std::lock_guard lock(mutex_);
  roles_[login] = roleName;
}

void FakeGithub::setCommitDate(const std::string& sha, const std::string& isoDate) {
  std::lock_guard lock(mutex_);
  commitDates_[sha] = isoDate;
}

void FakeGithub::setMergeSettings(bool merge, bool squash, bool rebase) {
  std::lock_guard lock(mutex_);
  allowMerge_ = merge;
  allowSquash_ = squash;
  allowRebase_ = rebase;
}

std::vector<FakeGithub::Comment> FakeGithub::comments() const {
  std::lock_guard lock(mutex_);
  return comments_;
}

std::vector<FakeGithub::Reaction> FakeGithub::reactions() const {
  std::lock_guard lock(mutex_);
  return reactions_;
}

std::vector<FakeGithub::Merge> FakeGithub::merges() const {
  std::lock_guard lock(mutex_);
  return merges_;
}

}  // namespace ekaci::testsupport
