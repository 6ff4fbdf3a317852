#include "kernel/server/HttpConnection.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <sstream>

#include "kernel/server/HttpServer.h"

namespace ekaci::server {

namespace asio = boost::asio;

HttpConnection::HttpConnection(HttpServer& server, asio::ip::tcp::socket socket, asio::thread_pool& handlers,
                               std::string address)
    : server_(server),
      socket_(std::move(socket)),
      handlers_(handlers),
      address_(std::move(address)),
      buffer_(server.limits_.maxHeadBytes),
      timer_(socket_.get_executor()) {}

HttpConnection::~HttpConnection() {
  server_.finished(address_);
}

void HttpConnection::start() {
  readHead(server_.limits_.headTimeout);
}

void HttpConnection::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  timer_.cancel();
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

void HttpConnection::arm(std::chrono::milliseconds deadline) {
  timer_.expires_after(deadline);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (!error) self->close();  // the deadline passed: a slow or idle client lets go of nothing else
  });
}

void HttpConnection::readHead(std::chrono::milliseconds deadline) {
  if (closed_) return;
  arm(deadline);
  asio::async_read_until(socket_, buffer_, "\r\n\r\n",
                         [self = shared_from_this()](const boost::system::error_code& error, std::size_t bytes) {
                           if (self->closed_) return;
                           if (error == asio::error::not_found) {
                             self->refuse(431, 6004, "http.bad_request", "request head exceeds the limit");
                             return;
                           }
                           if (error) {
                             self->close();
                             return;
                           }
                           self->onHead(bytes);
                         });
}

void HttpConnection::onHead(std::size_t headBytes) {
  std::string head(asio::buffers_begin(buffer_.data()),
                   asio::buffers_begin(buffer_.data()) + static_cast<std::ptrdiff_t>(headBytes));
  buffer_.consume(headBytes);
  Poco::Net::HTTPRequest request;
  try {
    std::istringstream in(head);
    request.read(in);
  } catch (const Poco::Exception& e) {
    refuse(400, 6004, "http.bad_request", "malformed request: " + e.message());
    return;
  }
  HttpExchange exchange;
  exchange.method = request.getMethod();
  exchange.path = request.getURI();
  for (const auto& [name, value] : request) exchange.headers.emplace_back(name, value);
  const bool keepAlive = request.getKeepAlive();
  const bool headOnly = exchange.method == "HEAD";
  if (request.getChunkedTransferEncoding()) {
    refuse(411, 6004, "http.bad_request", "a body must have a Content-Length");
    return;
  }
  const auto& limits = server_.limits_;
  std::int64_t length = 0;
  try {
    length = request.hasContentLength() ? request.getContentLength64() : 0;
  } catch (const Poco::Exception&) {
    length = -1;
  }
  if (length < 0) {
    refuse(400, 6004, "http.bad_request", "invalid Content-Length");
    return;
  }
  if (static_cast<std::uint64_t>(length) > limits.maxBodyBytes) {
    refuse(413, 6005, "http.payload_too_large",
           "request body exceeds " + std::to_string(limits.maxBodyBytes) + " bytes");
    return;
  }
  readBody(std::move(exchange), static_cast<std::size_t>(length), keepAlive, headOnly);
}

void HttpConnection::readBody(HttpExchange exchange, std::size_t length, bool keepAlive, bool head) {
  // Bytes already read past the head belong to the body (and, past it, to the next request).
  const std::size_t buffered = std::min(length, buffer_.size());
  exchange.body.assign(asio::buffers_begin(buffer_.data()),
                       asio::buffers_begin(buffer_.data()) + static_cast<std::ptrdiff_t>(buffered));
  buffer_.consume(buffered);
  if (buffered == length) {
    dispatch(std::move(exchange), keepAlive, head);
    return;
  }
  arm(server_.limits_.bodyTimeout);
  auto body = std::make_shared<HttpExchange>(std::move(exchange));
  body->body.resize(length);
  asio::async_read(
      socket_, asio::buffer(body->body.data() + buffered, length - buffered),
      [self = shared_from_this(), body, keepAlive, head](const boost::system::error_code& error, std::size_t) {
        if (self->closed_) return;
        if (error) {
          self->close();
          return;
        }
        self->dispatch(std::move(*body), keepAlive, head);
      });
}

void HttpConnection::dispatch(HttpExchange exchange, bool keepAlive, bool head) {
  timer_.cancel();  // the server's own work has no client deadline
  const auto started = std::chrono::steady_clock::now();
  asio::post(handlers_,
             [self = shared_from_this(), exchange = std::move(exchange), keepAlive, head, started]() mutable {
               HttpReply answer = self->server_.handle(std::move(exchange));
               asio::post(self->socket_.get_executor(), [self, answer = std::move(answer), keepAlive, head, started] {
                 self->reply(answer, keepAlive, head, started);
               });
             });
}

void HttpConnection::reply(const HttpReply& reply, bool keepAlive, bool head,
                           std::chrono::steady_clock::time_point started) {
  if (closed_) return;
  std::ostringstream out;
  out << "HTTP/1.1 " << reply.status << " "
      << Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status))
      << "\r\nContent-Type: " << reply.contentType << "\r\nContent-Length: " << reply.body.size()
      << "\r\nConnection: " << (keepAlive ? "keep-alive" : "close") << "\r\n";
  for (const auto& [name, value] : reply.headers) out << name << ": " << value << "\r\n";
  out << "\r\n";
  if (!head) out << reply.body;
  out_ = out.str();
  server_.observe(reply.status, started);
  arm(server_.limits_.bodyTimeout);  // a client that does not read its reply lets go too
  asio::async_write(socket_, asio::buffer(out_),
                    [self = shared_from_this(), keepAlive](const boost::system::error_code& error, std::size_t) {
                      if (self->closed_) return;
                      if (error || !keepAlive) {
                        self->close();
                        return;
                      }
                      self->readHead(self->server_.limits_.keepAliveTimeout);
                    });
}

void HttpConnection::refuse(int status, int code, const std::string& name, const std::string& message) {
  reply(HttpReply::error(status, code, name, message), false, false, std::chrono::steady_clock::now());
}

}  // namespace ekaci::server
