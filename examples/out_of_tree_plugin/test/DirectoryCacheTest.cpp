#include "DirectoryCacheFactory.h"
#include "ekaci/sdk/testing/CacheConformance.h"

namespace {
ekaci::sdk::testing::CacheSubject subject() {
  ekaci::sdk::testing::CacheSubject s;
  s.name = "directory";
  s.samplePaths = {"/nix/store/cccccccccccccccccccccccccccccccc-hello-2.12"};
  s.make = [](ekaci::sdk::testing::FakeHostServices& host) {
    return acme::DirectoryCacheFactory().create(ekaci::sdk::Value::table(), host);
  };
  return s;
}
}  // namespace

EKACI_CACHE_CONFORMANCE(AcmeDirectory, subject());
