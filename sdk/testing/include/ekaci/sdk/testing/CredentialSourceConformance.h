#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "ekaci/sdk/CredentialSource.h"
#include "ekaci/sdk/testing/FakeHostServices.h"

namespace ekaci::sdk::testing {

// What a CredentialSource implementation hands the conformance suite.
struct CredentialSourceSubject {
  std::string name;
  // A source that, once created, fetches exactly `expected`.
  std::function<Result<std::unique_ptr<CredentialSource>>(HostServices&)> makeWorking;
  std::vector<std::pair<std::string, std::string>> expected;
  // A source whose secret is absent; fetch() must fail (never return empty credentials).
  std::function<Result<std::unique_ptr<CredentialSource>>(HostServices&)> makeMissing;
};

// Test names show the subject's name instead of its bytes.
inline void PrintTo(const CredentialSourceSubject& subject, std::ostream* out) { *out << subject.name; }

class CredentialSourceConformance : public ::testing::TestWithParam<CredentialSourceSubject> {
 protected:
  FakeHostServices host_;
};

// Forces the suite's object file into the test binary when linked from a static library.
bool credentialSourceConformanceLinked();

}  // namespace ekaci::sdk::testing

// Runs every CredentialSource conformance test against SUBJECT (a CredentialSourceSubject).
#define EKACI_CREDENTIAL_SOURCE_CONFORMANCE(NAME, SUBJECT)                                                  \
  [[maybe_unused]] static const bool ekaci_conformance_linked_##NAME =                         \
      ::ekaci::sdk::testing::credentialSourceConformanceLinked();                                                            \
  namespace {                                                                                  \
  using CredentialSourceConformance = ::ekaci::sdk::testing::CredentialSourceConformance;                           \
  }                                                                                            \
  INSTANTIATE_TEST_SUITE_P(NAME, CredentialSourceConformance, ::testing::Values(SUBJECT),                 \
                           [](const auto& info) { return info.param.name; })
