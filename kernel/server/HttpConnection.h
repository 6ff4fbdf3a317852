#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "kernel/server/Router.h"

namespace ekaci::server {

class HttpServer;

// One client connection of the HttpServer, driven on its event-loop thread: reads a request
// head (within the head deadline, at most maxHeadBytes), then its body (within the body
// deadline, at most maxBodyBytes), hands the request to the handler pool, writes the reply,
// and waits for the next request of a keep-alive connection (within the idle deadline).
// Any deadline or limit closes the connection; a malformed or oversized request is answered
// first (400, 411, 413, 431).
class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(HttpServer& server, boost::asio::ip::tcp::socket socket, boost::asio::thread_pool& handlers,
                 std::string address);
  ~HttpConnection();

  void start();
  // Closes the socket (from the event-loop thread); pending operations end.
  void close();

 private:
  void readHead(std::chrono::milliseconds deadline);
  void onHead(std::size_t headBytes);
  void readBody(HttpExchange exchange, std::size_t length, bool keepAlive, bool head);
  void dispatch(HttpExchange exchange, bool keepAlive, bool head);
  void reply(const HttpReply& reply, bool keepAlive, bool head, std::chrono::steady_clock::time_point started);
  void refuse(int status, int code, const std::string& name, const std::string& message);
  void arm(std::chrono::milliseconds deadline);

  HttpServer& server_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::thread_pool& handlers_;
  std::string address_;
  boost::asio::streambuf buffer_;
  boost::asio::steady_timer timer_;
  std::string out_;
  bool closed_ = false;
};

}  // namespace ekaci::server
