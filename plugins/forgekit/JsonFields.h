#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>

#include "ekaci/sdk/Result.h"

namespace ekaci::forgekit {

// Lenient reads of a forge's JSON: a missing or null field is empty, zero or false, never
// an exception, so a payload that lacks an optional part is still understood.
class JsonFields {
 public:
  // The body as a JSON object; WebhookMalformed (or `code`) naming `what` when it is not one.
  static sdk::Result<Poco::JSON::Object::Ptr> parseObject(const std::string& body, const std::string& what,
                                                          sdk::ErrorCode code = sdk::ErrorCode::WebhookMalformed);
  static sdk::Result<Poco::JSON::Array::Ptr> parseArray(const std::string& body, const std::string& what);

  static std::string text(const Poco::JSON::Object::Ptr& o, const std::string& key);
  static std::uint64_t number(const Poco::JSON::Object::Ptr& o, const std::string& key);
  static bool flag(const Poco::JSON::Object::Ptr& o, const std::string& key);
  static bool present(const Poco::JSON::Object::Ptr& o, const std::string& key);
  static Poco::JSON::Object::Ptr object(const Poco::JSON::Object::Ptr& o, const std::string& key);
  static std::string stringify(const Poco::JSON::Object::Ptr& object);
};

}  // namespace ekaci::forgekit
