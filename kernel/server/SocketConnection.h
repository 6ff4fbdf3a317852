#pragma once

#include <array>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>

#include "ekaci/sdk/ErrorCode.h"

namespace ekaci::server {

class UnixSocketServer;

// One client connection of the UnixSocketServer, driven on its event-loop thread: waits for
// a frame's 4-byte length and its payload within the frame deadline, hands the request to the
// handler pool, writes the answer and waits for the next frame. A deadline, a clean hang-up
// or a read error closes the connection; a frame over the limit is answered with an error
// first (without reading it).
class SocketConnection : public std::enable_shared_from_this<SocketConnection> {
 public:
  SocketConnection(UnixSocketServer& server, boost::asio::local::stream_protocol::socket socket,
                   boost::asio::thread_pool& handlers);
  ~SocketConnection();
  SocketConnection(const SocketConnection&) = delete;
  SocketConnection& operator=(const SocketConnection&) = delete;

  void start();
  // Closes the socket (from the event-loop thread); pending operations end.
  void close();

 private:
  void readLength();
  void readPayload(std::size_t length);
  void dispatch();
  void answer(const std::string& response, bool thenClose);
  void refuse(sdk::ErrorCode code, const std::string& message);

  UnixSocketServer& server_;
  boost::asio::local::stream_protocol::socket socket_;
  boost::asio::thread_pool& handlers_;
  boost::asio::steady_timer timer_;
  std::array<unsigned char, 4> length_{};
  std::string payload_;
  std::string out_;
  bool closed_ = false;
};

}  // namespace ekaci::server
