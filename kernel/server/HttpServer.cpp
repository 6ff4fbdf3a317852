#include "kernel/server/HttpServer.h"

#include <boost/asio/ip/tcp.hpp>
#include <map>
#include <mutex>

#include "kernel/server/EventLoop.h"
#include "kernel/server/HttpConnection.h"

namespace ekaci::server {

namespace asio = boost::asio;

struct HttpServer::State {
  std::mutex mutex;  // guards the counts
  std::map<std::string, std::size_t> perAddress;
  std::size_t open = 0;
  // Destroyed explicitly in stop(): the acceptor, then the loop (its pending handlers own
  // the connections, whose destructors count themselves out here).
  std::unique_ptr<EventLoop> loop;
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor;
};

HttpServer::HttpServer(const Router& router, sdk::Logger& logger, sdk::Metrics& metrics, Limits limits)
    : router_(router), logger_(logger), metrics_(metrics), limits_(limits) {}

HttpServer::~HttpServer() {
  stop();
}

sdk::Result<void> HttpServer::start(const std::string& address, std::uint16_t port) {
  auto state = std::make_unique<State>();
  state->loop = std::make_unique<EventLoop>(limits_.handlerThreads);
  try {
    const asio::ip::tcp::endpoint endpoint(asio::ip::make_address(address), port);
    state->acceptor = std::make_unique<asio::ip::tcp::acceptor>(state->loop->context());
    state->acceptor->open(endpoint.protocol());
    state->acceptor->set_option(asio::ip::tcp::acceptor::reuse_address(true));
    state->acceptor->bind(endpoint);
    state->acceptor->listen(256);
    port_ = state->acceptor->local_endpoint().port();
  } catch (const boost::system::system_error& e) {
    return sdk::Error(sdk::ErrorCode::IoError,
                      "cannot listen on " + address + ":" + std::to_string(port) + ": " + e.code().message());
  }
  state_ = std::move(state);
  accept();
  state_->loop->start();
  logger_.info("HTTP server listening", {{"address", address}, {"port", std::to_string(port_)}});
  return sdk::success();
}

void HttpServer::accept() {
  state_->acceptor->async_accept([this](const boost::system::error_code& error, asio::ip::tcp::socket socket) {
    if (error == asio::error::operation_aborted || !state_->acceptor->is_open()) return;
    if (!error) {
      boost::system::error_code ec;
      const auto remote = socket.remote_endpoint(ec);
      const std::string address = ec ? "unknown" : remote.address().to_string();
      bool admitted = false;
      {
        std::lock_guard lock(state_->mutex);
        auto& mine = state_->perAddress[address];
        admitted = state_->open < limits_.maxConnections && mine < limits_.maxConnectionsPerAddress;
        if (admitted) {
          ++mine;
          ++state_->open;
        } else if (mine == 0) {
          state_->perAddress.erase(address);
        }
      }
      if (admitted) {
        std::make_shared<HttpConnection>(*this, std::move(socket), state_->loop->handlers(), address)->start();
      } else {
        socket.close(ec);
        metrics_
            .counter("http_connections_refused_total",
                     "Connections closed at once: too many from one address or in all.", {})
            .increment();
      }
    }
    accept();
  });
}

void HttpServer::finished(const std::string& address) {
  std::lock_guard lock(state_->mutex);
  auto found = state_->perAddress.find(address);
  if (found != state_->perAddress.end() && --found->second == 0) state_->perAddress.erase(found);
  --state_->open;
}

void HttpServer::observe(int status, std::chrono::steady_clock::time_point started) {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.counter("http_requests_total", "HTTP requests by status code.", {{"code", std::to_string(status)}})
      .increment();
  metrics_
      .histogram("http_request_duration_seconds", "HTTP request handling time.", {},
                 {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5})
      .observe(seconds);
}

HttpReply HttpServer::handle(HttpExchange exchange) const {
  try {
    return router_.dispatch(std::move(exchange));
  } catch (const std::exception& e) {
    logger_.error("HTTP handler failed", {{"error", e.what()}});
    return HttpReply::error(500, 1000, "internal", "internal error");
  }
}

void HttpServer::stop() {
  if (!state_) return;
  state_->loop->halt();
  state_->acceptor.reset();
  state_->loop.reset();
  state_.reset();
}

}  // namespace ekaci::server
