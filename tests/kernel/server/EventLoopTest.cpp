#include "kernel/server/EventLoop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <future>
#include <memory>

namespace ekaci::server {

// Work posted to the loop runs on the loop thread, handler work on the pool; halt() waits for
// a running handler, and what is still pending on the loop is destroyed with the loop, not run.
TEST(EventLoopTest, RunsLoopAndHandlerWorkAndShutsDownInTwoSteps) {
  auto loop = std::make_unique<EventLoop>(2);
  loop->start();
  std::promise<std::thread::id> onLoop;
  boost::asio::post(loop->context(), [&] { onLoop.set_value(std::this_thread::get_id()); });
  const auto loopThread = onLoop.get_future().get();
  EXPECT_NE(loopThread, std::this_thread::get_id());

  std::atomic<bool> handlerFinished{false};
  std::promise<void> handlerStarted;
  boost::asio::post(loop->handlers(), [&] {
    handlerStarted.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    handlerFinished = true;
  });
  handlerStarted.get_future().wait();

  // A connection-like object owned by a pending timer handler on the loop.
  auto owned = std::make_shared<int>(7);
  std::weak_ptr<int> watch = owned;
  auto timer = std::make_shared<boost::asio::steady_timer>(loop->context(), std::chrono::hours(1));
  std::atomic<bool> timerRan{false};
  timer->async_wait([owned = std::move(owned), &timerRan](const boost::system::error_code&) { timerRan = true; });

  loop->halt();
  EXPECT_TRUE(handlerFinished) << "halt() waits for the running handler";
  EXPECT_FALSE(watch.expired()) << "pending work lives until the loop is destroyed";
  timer.reset();
  loop.reset();
  EXPECT_TRUE(watch.expired()) << "destroying the loop destroys what its pending handlers own";
  EXPECT_FALSE(timerRan);
}

}  // namespace ekaci::server
