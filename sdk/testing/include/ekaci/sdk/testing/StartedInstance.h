#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "ekaci/sdk/Result.h"

namespace ekaci::sdk::testing {

// An instance as the kernel runs it: started after create(), stopped before it is deleted.
// The conformance suites hold their subjects so.
template <class T>
struct StopThenDelete {
  void operator()(T* instance) const {
    if (instance == nullptr) return;
    instance->stop();
    delete instance;
  }
};

template <class T>
using StartedInstance = std::unique_ptr<T, StopThenDelete<T>>;

// The created and started instance, or null after recording why as a test failure.
template <class T>
StartedInstance<T> startedOrFail(Result<std::unique_ptr<T>> made) {
  if (!made) {
    ADD_FAILURE() << "create failed: " << made.error().describe();
    return nullptr;
  }
  std::unique_ptr<T> instance = std::move(made).value();
  if (auto started = instance->start(); !started) {
    ADD_FAILURE() << "start failed: " << started.error().describe();
    return nullptr;
  }
  return StartedInstance<T>(instance.release());
}

}  // namespace ekaci::sdk::testing
