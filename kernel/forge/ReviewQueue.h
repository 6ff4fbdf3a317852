#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ekaci::forge {

// Reviews waiting and running, by key (one pull request, one merge-queue entry). A newer
// submission for a key replaces the one still waiting and cancels the one running, so a
// push supersedes the older head's work at once. A fixed number of worker threads run the
// tasks, oldest first; pull-request code can therefore never start more reviews than that.
//
// Threading: every method from any thread. A task runs on a worker thread with its own
// cancel flag, which it must honour.
class ReviewQueue {
 public:
  using Task = std::function<void(const std::atomic<bool>& cancel)>;

  explicit ReviewQueue(std::size_t workers);
  ~ReviewQueue();
  ReviewQueue(const ReviewQueue&) = delete;
  ReviewQueue& operator=(const ReviewQueue&) = delete;

  void submit(const std::string& key, Task task);
  // Drops the waiting task and cancels the running one of `key`; false when it had none.
  bool cancel(const std::string& key);
  // Cancels everything and joins the workers.
  void stop();

  std::size_t waiting() const;
  std::size_t running() const;

 private:
  struct Running {
    std::shared_ptr<std::atomic<bool>> cancel;
  };
  void work();

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::string> order_;  // keys of waiting tasks, oldest first
  std::map<std::string, Task> waiting_;
  std::multimap<std::string, Running> running_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace ekaci::forge
