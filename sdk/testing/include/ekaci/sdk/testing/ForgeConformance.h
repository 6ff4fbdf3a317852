#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "ekaci/sdk/Forge.h"
#include "ekaci/sdk/testing/FakeHostServices.h"

namespace ekaci::sdk::testing {

struct ForgeSubject {
  std::string name;
  // Creates the forge; may script host.fakeHttp() for the API calls the suite makes.
  std::function<Result<std::unique_ptr<Forge>>(FakeHostServices&)> make;
  // A correctly authenticated delivery of a change-request "opened" event.
  std::function<WebhookRequest()> signedOpenedDelivery;
  // The same delivery with every authentication header removed.
  std::function<WebhookRequest()> unsignedDelivery;
  // A correctly authenticated delivery whose body is not a valid event.
  std::function<WebhookRequest()> signedMalformedDelivery;
  // Optional: a correctly authenticated delivery of an event the kernel does not act on.
  std::function<WebhookRequest()> signedUnknownDelivery;
  // True when the signature covers the body (HMAC), false for a shared token (GitLab).
  bool signsBody = true;
  RepositoryRef repository;
  ChangeRequestRef changeRequest;
};

// Test names show the subject's name instead of its bytes.
inline void PrintTo(const ForgeSubject& subject, std::ostream* out) {
  *out << subject.name;
}

class ForgeConformance : public ::testing::TestWithParam<ForgeSubject> {
 protected:
  FakeHostServices host_;
};

bool forgeConformanceLinked();

}  // namespace ekaci::sdk::testing

#define EKACI_FORGE_CONFORMANCE(NAME, SUBJECT)                                 \
  [[maybe_unused]] static const bool ekaci_conformance_linked_##NAME =         \
      ::ekaci::sdk::testing::forgeConformanceLinked();                         \
  namespace {                                                                  \
  using ForgeConformance = ::ekaci::sdk::testing::ForgeConformance;            \
  }                                                                            \
  INSTANTIATE_TEST_SUITE_P(NAME, ForgeConformance, ::testing::Values(SUBJECT), \
                           [](const auto& info) { return info.param.name; })
