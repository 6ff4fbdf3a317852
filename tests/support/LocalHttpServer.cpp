#include "tests/support/LocalHttpServer.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <optional>
#include <sstream>

namespace ekaci::testsupport {

class LocalHttpServer::Connection : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Connection(LocalHttpServer& server) : server_(server) {}
  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
    Request request;
    request.method = in.getMethod();
    request.target = in.getURI();
    for (const auto& [name, value] : in) {
      std::string key = name;
      for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers[key] = value;
    }
    Poco::StreamCopier::copyToString(in.stream(), request.body);
    const Answer answer = server_.serve(request);
    out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    for (const auto& [k, v] : answer.headers) out.set(k, v);
    out.setContentType("application/json");
    out.sendBuffer(answer.body.data(), answer.body.size());
  }

 private:
  LocalHttpServer& server_;
};

namespace {
class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(LocalHttpServer& server) : server_(server) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new LocalHttpServer::Connection(server_);
  }

 private:
  LocalHttpServer& server_;
};
}  // namespace

LocalHttpServer::LocalHttpServer(Handler handler) : handler_(std::move(handler)) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(8);
  params->setKeepAlive(true);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), threads_, socket, params);
  server_->start();
}

LocalHttpServer::~LocalHttpServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  server_->stopAll(true);
  threads_.joinAll();  // no connection can reach this object once its threads are joined
}

std::string LocalHttpServer::json(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out);
  return out.str();
}

LocalHttpServer::Answer LocalHttpServer::message(int status, const std::string& text) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("message", text);
  return {status, json(o), {}};
}

std::vector<std::string> LocalHttpServer::rawSegments(const std::string& target) {
  std::vector<std::string> out;
  std::stringstream in(target.substr(0, target.find('?')));
  std::string part;
  while (std::getline(in, part, '/')) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

std::uint16_t LocalHttpServer::port() const {
  return server_->port();
}

void LocalHttpServer::scriptFaults(const std::string& prefix, std::vector<Answer> faults) {
  std::lock_guard lock(mutex_);
  for (auto& fault : faults) faults_.emplace_back(prefix, std::move(fault));
}

std::vector<LocalHttpServer::Request> LocalHttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

LocalHttpServer::Answer LocalHttpServer::serve(Request& request) {
  const std::string path = Poco::URI(request.target).getPath();
  std::optional<Answer> fault;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return Answer{503, R"({"message":"stopping"})", {}};
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
      if (path.rfind(it->first, 0) == 0) {
        fault = it->second;
        faults_.erase(it);
        break;
      }
    }
  }
  Answer answer = fault ? *fault : handler_(request);
  request.status = answer.status;
  std::lock_guard lock(mutex_);
  requests_.push_back(request);
  return answer;
}

}  // namespace ekaci::testsupport
