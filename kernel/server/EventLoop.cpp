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
  thread_ = std::thread([this] { context_->run(); });
}

void EventLoop::halt() {
  context_->stop();
  if (thread_.joinable()) thread_.join();
  handlers_->join();
}

}  // namespace ekaci::server
