#pragma once

#include <Poco/JSON/Object.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace ekaci::testsupport {

// Checks an HTTP request against a published OpenAPI 3 description (GitHub's, from
// @octokit/openapi) or Swagger 2.0 description (Gitea's, with its basePath and body
// parameters): the path matches a documented template, the method is documented for
// it, every query parameter is documented (and within its enum), required ones are present,
// and the JSON body satisfies the request schema — types, required properties, enums,
// maxLength, items, $ref, allOf/anyOf/oneOf. Returns what does not match; empty is valid.
class OpenApiValidator {
 public:
  static std::unique_ptr<OpenApiValidator> load(const std::filesystem::path& specFile);

  std::vector<std::string> check(const std::string& method, const std::string& target, const std::string& body) const;

 private:
  explicit OpenApiValidator(Poco::JSON::Object::Ptr spec) : spec_(std::move(spec)) {}
  Poco::JSON::Object::Ptr resolve(Poco::JSON::Object::Ptr object) const;
  void checkValue(const Poco::JSON::Object::Ptr& schema, const Poco::Dynamic::Var& value, const std::string& where,
                  std::vector<std::string>& problems, int depth) const;

  Poco::JSON::Object::Ptr spec_;
};

}  // namespace ekaci::testsupport
