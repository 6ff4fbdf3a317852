#include "tests/support/GithubTestKit.h"

#include <Poco/Crypto/RSAKey.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace ekaci::testsupport {

GithubTestKit::KeyPair GithubTestKit::generateKey() {
  Poco::Crypto::RSAKey key(Poco::Crypto::RSAKey::KL_2048, Poco::Crypto::RSAKey::EXP_LARGE);
  std::ostringstream publicPem, privatePem;
  key.save(&publicPem, &privatePem);
  return {privatePem.str(), publicPem.str()};
}

std::string GithubTestKit::openApiPath() {
  return EKACI_SOURCE_DIR "/tests/node/node_modules/@octokit/openapi/generated/api.github.com.json";
}

std::string GithubTestKit::examplesPath() {
  return EKACI_SOURCE_DIR "/tests/node/node_modules/@octokit/webhooks-examples/api.github.com/index.json";
}

std::string GithubTestKit::stringify(const Poco::JSON::Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

std::vector<Poco::JSON::Object::Ptr> GithubTestKit::examples(const std::string& event, const std::string& action) {
  // The file is 4 MB; it is read once per test binary.
  static std::mutex mutex;
  static Poco::JSON::Array::Ptr all;
  std::lock_guard lock(mutex);
  std::vector<Poco::JSON::Object::Ptr> out;
  Poco::JSON::Parser parser;
  if (!all) {
    std::ifstream in(examplesPath());
    if (!in) return out;
    all = parser.parse(in).extract<Poco::JSON::Array::Ptr>();
  }
  for (std::size_t i = 0; i < all->size(); ++i) {
    auto entry = all->getObject(static_cast<unsigned>(i));
    if (entry->getValue<std::string>("name") != event) continue;
    auto list = entry->getArray("examples");
    for (std::size_t j = 0; j < list->size(); ++j) {
      auto example = list->getObject(static_cast<unsigned>(j));
      if (!action.empty() && example->optValue<std::string>("action", "") != action) continue;
      // A private copy the test may change.
      out.push_back(parser.parse(stringify(example)).extract<Poco::JSON::Object::Ptr>());
    }
  }
  return out;
}

}  // namespace ekaci::testsupport
