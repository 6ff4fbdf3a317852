#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ekaci/sdk/Cache.h"
#include "ekaci/sdk/testing/FakeHostServices.h"

namespace ekaci::sdk::testing {

struct CacheSubject {
  std::string name;
  std::function<Result<std::unique_ptr<Cache>>(FakeHostServices&)> make;
  // Store paths that can be pushed (the subject makes them valid, e.g. by building them).
  std::vector<std::string> samplePaths;
};

// Test names show the subject's name instead of its bytes.
inline void PrintTo(const CacheSubject& subject, std::ostream* out) { *out << subject.name; }

class CacheConformance : public ::testing::TestWithParam<CacheSubject> {
 protected:
  FakeHostServices host_;
};

bool cacheConformanceLinked();

}  // namespace ekaci::sdk::testing

#define EKACI_CACHE_CONFORMANCE(NAME, SUBJECT)                                                  \
  [[maybe_unused]] static const bool ekaci_conformance_linked_##NAME =                         \
      ::ekaci::sdk::testing::cacheConformanceLinked();                                                            \
  namespace {                                                                                  \
  using CacheConformance = ::ekaci::sdk::testing::CacheConformance;                           \
  }                                                                                            \
  INSTANTIATE_TEST_SUITE_P(NAME, CacheConformance, ::testing::Values(SUBJECT),                 \
                           [](const auto& info) { return info.param.name; })
