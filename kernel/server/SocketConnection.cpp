#include "kernel/server/SocketConnection.h"

#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "kernel/server/FrameCodec.h"
#include "kernel/server/UnixSocketServer.h"

namespace ekaci::server {

namespace asio = boost::asio;

SocketConnection::SocketConnection(UnixSocketServer& server, asio::local::stream_protocol::socket socket,
                                   asio::thread_pool& handlers)
    : server_(server), socket_(std::move(socket)), handlers_(handlers), timer_(socket_.get_executor()) {}

SocketConnection::~SocketConnection() {
  server_.finished();
}

void SocketConnection::start() {
  readLength();
}

void SocketConnection::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  timer_.cancel();
  socket_.shutdown(asio::local::stream_protocol::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

void SocketConnection::readLength() {
  if (closed_) return;
  // One deadline for the whole frame, the wait for its first byte included.
  timer_.expires_after(server_.limits_.readTimeout);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (!error) self->close();
  });
  asio::async_read(
      socket_, asio::buffer(length_), [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
        if (self->closed_) return;
        if (error) {
          self->close();  // a hang-up between frames, or in the middle of the length
          return;
        }
        const std::size_t n = (std::size_t{self->length_[0]} << 24) | (std::size_t{self->length_[1]} << 16) |
                              (std::size_t{self->length_[2]} << 8) | std::size_t{self->length_[3]};
        if (n > self->server_.limits_.maxFrameBytes) {
          self->refuse(sdk::ErrorCode::ProtocolFrameTooLarge, "frame of " + std::to_string(n) +
                                                                  " bytes exceeds the limit of " +
                                                                  std::to_string(self->server_.limits_.maxFrameBytes));
          return;
        }
        self->readPayload(n);
      });
}

void SocketConnection::readPayload(std::size_t length) {
  payload_.assign(length, '\0');
  if (length == 0) {
    dispatch();
    return;
  }
  asio::async_read(socket_, asio::buffer(payload_),
                   [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
                     if (self->closed_) return;
                     if (error) {
                       self->close();
                       return;
                     }
                     self->dispatch();
                   });
}

void SocketConnection::dispatch() {
  timer_.cancel();  // the server's own work has no client deadline
  asio::post(handlers_, [self = shared_from_this(), request = std::move(payload_)] {
    std::string response = self->server_.handle(request);
    asio::post(self->socket_.get_executor(), [self, response = std::move(response)] { self->answer(response, false); });
  });
}

void SocketConnection::answer(const std::string& response, bool thenClose) {
  if (closed_) return;
  out_ = FrameCodec::encode(response);
  // A client that does not read its answer lets go too.
  timer_.expires_after(server_.limits_.readTimeout);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (!error) self->close();
  });
  asio::async_write(socket_, asio::buffer(out_),
                    [self = shared_from_this(), thenClose](const boost::system::error_code& error, std::size_t) {
                      if (self->closed_) return;
                      if (error || thenClose) {
                        self->close();
                        return;
                      }
                      self->readLength();
                    });
}

void SocketConnection::refuse(sdk::ErrorCode code, const std::string& message) {
  server_.logger_.debug("unix socket request rejected", {{"reason", message}});
  answer(R"({"ok":false,"error":{"code":)" + std::to_string(static_cast<int>(code)) + R"(,"name":")" +
             sdk::errorCodeName(code) + R"(","message":"request rejected"}})",
         true);
}

}  // namespace ekaci::server
