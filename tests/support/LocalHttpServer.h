#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ekaci::testsupport {

// An HTTP server on 127.0.0.1 and a free port that answers every request with a handler,
// records what it received and answered, and can be told to fail the next requests of a
// path: the base of the local forges (Gitea, GitLab) the tests talk to.
class LocalHttpServer {
 public:
  struct Request {
    std::string method;
    std::string target;                          // path and query, as sent
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    int status = 0;  // what the server answered
  };
  struct Answer {
    int status = 200;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  using Handler = std::function<Answer(const Request&)>;

  explicit LocalHttpServer(Handler handler);
  ~LocalHttpServer();
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  // What the local forges answer with: JSON text, and {"message": text} with a status.
  static std::string json(const Poco::Dynamic::Var& value);
  static Answer message(int status, const std::string& text);
  // A request target's path segments as sent (escapes kept: an encoded '/' stays inside one).
  static std::vector<std::string> rawSegments(const std::string& target);

  std::uint16_t port() const;
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }

  // The next requests whose path starts with `prefix` get these answers instead, in order.
  void scriptFaults(const std::string& prefix, std::vector<Answer> faults);
  std::vector<Request> requests() const;

  class Connection;

 private:
  friend class Connection;
  Answer serve(Request& request);

  Handler handler_;
  mutable std::mutex mutex_;
  std::vector<Request> requests_;
  std::deque<std::pair<std::string, Answer>> faults_;
  bool stopping_ = false;
  Poco::ThreadPool threads_{1, 8};
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace ekaci::testsupport
