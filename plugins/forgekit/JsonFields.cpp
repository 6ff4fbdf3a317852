#include "forgekit/JsonFields.h"

#include <Poco/JSON/Parser.h>

#include <sstream>

namespace ekaci::forgekit {

using Poco::JSON::Array;
using Poco::JSON::Object;

sdk::Result<Object::Ptr> JsonFields::parseObject(const std::string& body, const std::string& what,
                                                 sdk::ErrorCode code) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var parsed = parser.parse(body);
    if (parsed.type() == typeid(Object::Ptr)) {
      if (auto object = parsed.extract<Object::Ptr>()) return object;
    }
  } catch (const Poco::Exception& e) {
    return sdk::Error(code, what + " is not JSON: " + e.displayText());
  } catch (const std::exception&) {
  }
  return sdk::Error(code, what + " is not a JSON object");
}

sdk::Result<Array::Ptr> JsonFields::parseArray(const std::string& body, const std::string& what) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var parsed = parser.parse(body);
    if (parsed.type() == typeid(Array::Ptr)) {
      if (auto array = parsed.extract<Array::Ptr>()) return array;
    }
  } catch (const Poco::Exception& e) {
    return sdk::Error(sdk::ErrorCode::ForgeApi, what + " is not JSON: " + e.displayText());
  } catch (const std::exception&) {
  }
  return sdk::Error(sdk::ErrorCode::ForgeApi, what + " is not a JSON array");
}

bool JsonFields::present(const Object::Ptr& o, const std::string& key) {
  return o && o->has(key) && !o->isNull(key);
}

std::string JsonFields::text(const Object::Ptr& o, const std::string& key) {
  if (!present(o, key)) return {};
  try {
    Poco::Dynamic::Var v = o->get(key);
    if (v.isString()) return v.extract<std::string>();
    if (v.isNumeric() || v.isBoolean()) return v.convert<std::string>();
  } catch (const Poco::Exception&) {
  }
  return {};
}

std::uint64_t JsonFields::number(const Object::Ptr& o, const std::string& key) {
  if (!present(o, key)) return 0;
  try {
    return o->getValue<std::uint64_t>(key);
  } catch (const Poco::Exception&) {
    return 0;
  }
}

bool JsonFields::flag(const Object::Ptr& o, const std::string& key) {
  if (!present(o, key)) return false;
  try {
    return o->getValue<bool>(key);
  } catch (const Poco::Exception&) {
    return false;
  }
}

Object::Ptr JsonFields::object(const Object::Ptr& o, const std::string& key) {
  if (!present(o, key) || !o->isObject(key)) return nullptr;
  return o->getObject(key);
}

std::string JsonFields::stringify(const Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

}  // namespace ekaci::forgekit
