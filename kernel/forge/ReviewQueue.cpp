#include "kernel/forge/ReviewQueue.h"

#include <algorithm>

namespace ekaci::forge {

ReviewQueue::ReviewQueue(std::size_t workers) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, workers); ++i) workers_.emplace_back([this] { work(); });
}

ReviewQueue::~ReviewQueue() {
  stop();
}

void ReviewQueue::submit(const std::string& key, Task task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    auto [it, inserted] = waiting_.insert_or_assign(key, std::move(task));
    (void)it;
    if (inserted) order_.push_back(key);
    auto [begin, end] = running_.equal_range(key);
    for (auto r = begin; r != end; ++r) *r->second.cancel = true;
  }
  ready_.notify_one();
}

bool ReviewQueue::cancel(const std::string& key) {
  std::lock_guard lock(mutex_);
  bool had = waiting_.erase(key) > 0;
  order_.erase(std::remove(order_.begin(), order_.end(), key), order_.end());
  auto [begin, end] = running_.equal_range(key);
  for (auto r = begin; r != end; ++r) {
    *r->second.cancel = true;
    had = true;
  }
  return had;
}

void ReviewQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    waiting_.clear();
    order_.clear();
    for (auto& [key, r] : running_) *r.cancel = true;
  }
  ready_.notify_all();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  workers_.clear();
}

std::size_t ReviewQueue::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

std::size_t ReviewQueue::running() const {
  std::lock_guard lock(mutex_);
  return running_.size();
}

void ReviewQueue::work() {
  for (;;) {
    std::string key;
    Task task;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    std::multimap<std::string, Running>::iterator slot;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !order_.empty(); });
      if (stopping_) return;
      key = order_.front();
      order_.pop_front();
      task = std::move(waiting_.at(key));
      waiting_.erase(key);
      // A task of the same key still running is cancelled; this one starts anyway, and the
      // older one ends on its own flag.
      auto [begin, end] = running_.equal_range(key);
      for (auto r = begin; r != end; ++r) *r->second.cancel = true;
      slot = running_.emplace(key, Running{cancel});
    }
    task(*cancel);
    std::lock_guard lock(mutex_);
    running_.erase(slot);
  }
}

}  // namespace ekaci::forge
