#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstddef>
#include <memory>
#include <thread>

namespace ekaci::server {

// The threads of a listener (HttpServer, UnixSocketServer): one thread runs the io_context
// that owns every connection, and a pool of handler threads runs complete requests.
//
// Shutdown is two steps, so that the listener can close its acceptor in between: halt()
// stops the loop thread and waits for running handlers (what they post goes nowhere); the
// destructor then destroys the pending handlers, and with them every connection.
class EventLoop {
 public:
  explicit EventLoop(std::size_t handlerThreads);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  boost::asio::io_context& context() noexcept { return *context_; }
  boost::asio::thread_pool& handlers() noexcept { return *handlers_; }

  // Starts the loop thread. It runs until halt(), with or without work queued (a post right
  // after start() is never lost to a loop that found nothing to do and returned).
  void start();
  void halt();

 private:
  // unique_ptrs, destroyed in a fixed order (clang's analyzer misreads std::optional of them).
  std::unique_ptr<boost::asio::io_context> context_;
  std::unique_ptr<boost::asio::thread_pool> handlers_;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;
};

}  // namespace ekaci::server
