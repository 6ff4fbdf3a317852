#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace ekaci::testsupport {

// What GitHub tests share: a fresh RSA key pair for a test app, GitHub's own webhook payload
// examples (@octokit/webhooks-examples, installed by scripts/setup into tests/node) and the
// path of GitHub's REST description (@octokit/openapi).
class GithubTestKit {
 public:
  struct KeyPair {
    std::string privatePem;
    std::string publicPem;
  };
  static KeyPair generateKey();

  // Every example payload of `event` (with `action`, when given), as GitHub sends it.
  static std::vector<Poco::JSON::Object::Ptr> examples(const std::string& event, const std::string& action = "");
  static std::string stringify(const Poco::JSON::Object::Ptr& object);
  static std::string openApiPath();
  static std::string examplesPath();
};

}  // namespace ekaci::testsupport
