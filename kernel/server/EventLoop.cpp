#include "kernel/server/EventLoop.h"

namespace ekaci::server {

EventLoop::EventLoop(std::size_t handlerThreads)
    : context_(std::make_unique<boost::asio::io_context>(1)),
      handlers_(std::make_unique<boost::asio::thread_pool>(handlerThreads)) {}

EventLoop::~EventLoop() {
  halt();
  handlers_.reset();
  context_.reset();
}

void EventLoop::start() {
  work_ = std::make_unique<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
      context_->get_executor());
  thread_ = std::thread([this] { context_->run(); });
}

void EventLoop::halt() {
  work_.reset();
  context_->stop();
  if (thread_.joinable()) thread_.join();
  handlers_->join();
}

}  // namespace ekaci::server
