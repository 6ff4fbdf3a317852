#include "kernel/forge/ReviewQueue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace ekaci::forge {
namespace {

void waitFor(const std::function<bool()>& condition) {
  for (int i = 0; i < 500 && !condition(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

TEST(ReviewQueueTest, ANewerSubmissionCancelsTheRunningOneAndReplacesTheWaitingOne) {
  ReviewQueue queue(1);
  std::atomic<int> started{0}, cancelled{0};
  std::vector<int> ran;
  std::mutex mutex;
  auto task = [&](int n) {
    return [&, n](const std::atomic<bool>& cancel) {
      ++started;
      {
        std::lock_guard lock(mutex);
        ran.push_back(n);
      }
      while (!cancel) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      ++cancelled;
    };
  };
  queue.submit("pr/1", task(1));
  waitFor([&] { return started == 1; });
  queue.submit("pr/2", task(2));  // waits: one worker
  queue.submit("pr/2", task(3));  // replaces 2 before it started
  queue.submit("pr/1", task(4));  // cancels 1, waits behind pr/2
  waitFor([&] { return cancelled >= 1 && started >= 2; });
  queue.cancel("pr/2");
  waitFor([&] { return started >= 3; });
  queue.stop();
  std::lock_guard lock(mutex);
  EXPECT_EQ(ran, (std::vector<int>{1, 3, 4}));
}

TEST(ReviewQueueTest, CancellingAKeyWithNothingIsAnAnswerNotAnError) {
  ReviewQueue queue(2);
  EXPECT_FALSE(queue.cancel("nothing"));
  EXPECT_EQ(queue.waiting(), 0u);
  EXPECT_EQ(queue.running(), 0u);
}

}  // namespace
}  // namespace ekaci::forge
