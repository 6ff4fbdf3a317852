#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "ekaci/sdk/Evaluator.h"
#include "ekaci/sdk/testing/FakeHostServices.h"

namespace ekaci::sdk::testing {

struct EvaluatorSubject {
  std::string name;
  std::function<Result<std::unique_ptr<Evaluator>>(FakeHostServices&)> make;
  // A request over a package set with both good attributes and attributes that fail.
  std::function<EvalRequest()> request;
  std::set<std::string> expectedDerivations;  // attribute paths that evaluate
  std::set<std::string> expectedErrors;       // attribute paths that raise an error
};

// Test names show the subject's name instead of its bytes.
inline void PrintTo(const EvaluatorSubject& subject, std::ostream* out) { *out << subject.name; }

class EvaluatorConformance : public ::testing::TestWithParam<EvaluatorSubject> {
 protected:
  FakeHostServices host_;
};

bool evaluatorConformanceLinked();

}  // namespace ekaci::sdk::testing

#define EKACI_EVALUATOR_CONFORMANCE(NAME, SUBJECT)                                                  \
  [[maybe_unused]] static const bool ekaci_conformance_linked_##NAME =                         \
      ::ekaci::sdk::testing::evaluatorConformanceLinked();                                                            \
  namespace {                                                                                  \
  using EvaluatorConformance = ::ekaci::sdk::testing::EvaluatorConformance;                           \
  }                                                                                            \
  INSTANTIATE_TEST_SUITE_P(NAME, EvaluatorConformance, ::testing::Values(SUBJECT),                 \
                           [](const auto& info) { return info.param.name; })
