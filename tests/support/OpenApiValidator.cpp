#include "tests/support/OpenApiValidator.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <fstream>
#include <sstream>

namespace ekaci::testsupport {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::string current;
  for (char c : path) {
    if (c == '/') {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const bool placeholder = pattern[i].size() > 2 && pattern[i].front() == '{' && pattern[i].back() == '}';
    if (!placeholder && pattern[i] != path[i]) return false;
  }
  return true;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string typeOf(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return "null";
  if (v.type() == typeid(Object::Ptr)) return "object";
  if (v.type() == typeid(Array::Ptr)) return "array";
  if (v.isString()) return "string";
  if (v.isBoolean()) return "boolean";
  if (v.isInteger()) return "integer";
  if (v.isNumeric()) return "number";
  return "unknown";
}

}  // namespace

std::unique_ptr<OpenApiValidator> OpenApiValidator::load(const std::filesystem::path& specFile) {
  std::ifstream in(specFile);
  if (!in) return nullptr;
  Poco::JSON::Parser parser;
  auto spec = parser.parse(in).extract<Object::Ptr>();
  return std::unique_ptr<OpenApiValidator>(new OpenApiValidator(spec));
}

Object::Ptr OpenApiValidator::resolve(Object::Ptr object) const {
  for (int hops = 0; object && object->has("$ref") && hops < 16; ++hops) {
    const std::string ref = object->getValue<std::string>("$ref");  // "#/components/schemas/x"
    Object::Ptr at = spec_;
    for (const auto& part : segments(ref.substr(1))) at = at ? at->getObject(part) : nullptr;
    object = at;
  }
  return object;
}

void OpenApiValidator::checkValue(const Object::Ptr& rawSchema, const Poco::Dynamic::Var& value,
                                  const std::string& where, std::vector<std::string>& problems, int depth) const {
  Object::Ptr schema = resolve(rawSchema);
  if (!schema || depth > 32) return;
  if (auto all = schema->getArray("allOf")) {
    for (std::size_t i = 0; i < all->size(); ++i)
      checkValue(all->getObject(static_cast<unsigned>(i)), value, where, problems, depth + 1);
  }
  for (const char* key : {"anyOf", "oneOf"}) {
    if (auto options = schema->getArray(key)) {
      bool any = false;
      for (std::size_t i = 0; i < options->size() && !any; ++i) {
        std::vector<std::string> inner;
        checkValue(options->getObject(static_cast<unsigned>(i)), value, where, inner, depth + 1);
        any = inner.empty();
      }
      if (!any) problems.push_back(where + ": matches none of the " + key + " alternatives");
    }
  }
  const std::string actual = typeOf(value);
  if (actual == "null") {
    if (!schema->optValue<bool>("nullable", false)) problems.push_back(where + ": null is not allowed");
    return;
  }
  if (schema->has("type") && !schema->isArray("type")) {
    const std::string type = schema->getValue<std::string>("type");
    const bool ok = type == actual || (type == "number" && actual == "integer");
    if (!ok) {
      problems.push_back(where + ": is " + actual + ", the API describes " + type);
      return;
    }
  }
  if (auto choices = schema->getArray("enum")) {
    bool found = false;
    for (std::size_t i = 0; i < choices->size() && !found; ++i)
      found = choices->get(static_cast<unsigned>(i)).toString() == value.toString();
    if (!found) problems.push_back(where + ": '" + value.toString() + "' is not one of the API's values");
  }
  if (actual == "string" && schema->has("maxLength")) {
    const auto max = schema->getValue<std::size_t>("maxLength");
    // maxLength counts characters; count UTF-8 code points.
    std::size_t characters = 0;
    for (unsigned char c : value.extract<std::string>()) characters += (c & 0xC0) != 0x80;
    if (characters > max) problems.push_back(where + ": longer than the API's maxLength " + std::to_string(max));
  }
  if (actual == "object") {
    auto object = value.extract<Object::Ptr>();
    auto properties = schema->getObject("properties");
    if (auto required = schema->getArray("required")) {
      for (std::size_t i = 0; i < required->size(); ++i) {
        const std::string name = required->getElement<std::string>(static_cast<unsigned>(i));
        if (!object->has(name)) problems.push_back(where + ": the required '" + name + "' is missing");
      }
    }
    const bool closed = schema->has("additionalProperties") && schema->isObject("additionalProperties") == false &&
                        !schema->optValue<bool>("additionalProperties", true);
    for (const auto& [name, member] : *object) {
      if (properties && properties->has(name)) {
        checkValue(properties->getObject(name), member, where + "." + name, problems, depth + 1);
      } else if (closed || (properties && !schema->has("additionalProperties") && !schema->has("allOf") &&
                            !schema->has("anyOf") && !schema->has("oneOf"))) {
        problems.push_back(where + ": '" + name + "' is not a property the API describes");
      }
    }
  }
  if (actual == "array") {
    auto array = value.extract<Array::Ptr>();
    if (auto items = schema->getObject("items")) {
      for (std::size_t i = 0; i < array->size(); ++i) {
        checkValue(items, array->get(static_cast<unsigned>(i)), where + "[" + std::to_string(i) + "]", problems,
                   depth + 1);
      }
    }
    if (schema->has("maxItems") && array->size() > schema->getValue<std::size_t>("maxItems")) {
      problems.push_back(where + ": more items than the API's maxItems");
    }
  }
}

std::vector<std::string> OpenApiValidator::check(const std::string& method, const std::string& target,
                                                 const std::string& body) const {
  std::vector<std::string> problems;
  Poco::URI uri(target);
  std::string fullPath = uri.getPath();
  // Swagger 2.0 (Gitea's) puts the API's prefix in basePath.
  const std::string basePath = spec_->optValue<std::string>("basePath", "");
  if (!basePath.empty() && basePath != "/" && fullPath.rfind(basePath, 0) == 0) fullPath.erase(0, basePath.size());
  const auto path = segments(fullPath);
  auto paths = spec_->getObject("paths");
  Object::Ptr item;
  std::string template_;
  int bestLiterals = -1;
  for (const auto& [pattern, value] : *paths) {
    const auto parts = segments(pattern);
    if (!matches(parts, path)) continue;
    // The most specific template wins (…/pulls/{index}/merge over …/{a}/{b}/{c}).
    int literals = 0;
    for (const auto& part : parts) literals += part.empty() || part.front() != '{';
    if (literals > bestLiterals) {
      bestLiterals = literals;
      item = value.extract<Object::Ptr>();
      template_ = pattern;
    }
  }
  const std::string what = method + " " + uri.getPath();
  if (!item) return {what + ": no such path in the API description"};
  auto operation = item->getObject(lower(method));
  if (!operation) return {what + ": " + method + " is not documented for " + template_};

  // Query parameters.
  std::vector<Object::Ptr> parameters;
  for (const auto& list : {item->getArray("parameters"), operation->getArray("parameters")}) {
    for (std::size_t i = 0; list && i < list->size(); ++i)
      parameters.push_back(resolve(list->getObject(static_cast<unsigned>(i))));
  }
  const auto query = uri.getQueryParameters();
  for (const auto& [name, value] : query) {
    Object::Ptr declared;
    for (const auto& p : parameters) {
      if (p && p->optValue<std::string>("in", "") == "query" && p->optValue<std::string>("name", "") == name)
        declared = p;
    }
    if (!declared) {
      problems.push_back(what + ": query parameter '" + name + "' is not documented");
      continue;
    }
    // OpenAPI 3 describes a parameter's type in its schema, Swagger 2.0 on the parameter.
    auto schema = declared->has("schema") ? resolve(declared->getObject("schema")) : declared;
    if (schema && schema->optValue<std::string>("type", "") == "integer") {
      if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos) {
        problems.push_back(what + ": query parameter '" + name + "' is not an integer");
      }
    } else if (schema) {
      checkValue(schema, Poco::Dynamic::Var(value), what + "?" + name, problems, 0);
    }
  }
  for (const auto& p : parameters) {
    if (p && p->optValue<std::string>("in", "") == "query" && p->optValue<bool>("required", false) &&
        query.end() == std::find_if(query.begin(), query.end(),
                                    [&](const auto& q) { return q.first == p->getValue<std::string>("name"); })) {
      problems.push_back(what + ": required query parameter '" + p->getValue<std::string>("name") + "' is missing");
    }
  }

  // Body: Swagger 2.0's body parameter, or OpenAPI 3's requestBody.
  Object::Ptr bodyParameter;
  for (const auto& p : parameters) {
    if (p && p->optValue<std::string>("in", "") == "body") bodyParameter = p;
  }
  if (bodyParameter) {
    if (body.empty()) {
      if (bodyParameter->optValue<bool>("required", false)) problems.push_back(what + ": the request body is required");
      return problems;
    }
    try {
      Poco::JSON::Parser parser;
      checkValue(bodyParameter->getObject("schema"), parser.parse(body), what + " body", problems, 0);
    } catch (const Poco::Exception& e) {
      problems.push_back(what + ": the body is not JSON: " + e.displayText());
    }
    return problems;
  }
  auto requestBody = resolve(operation->getObject("requestBody"));
  if (!requestBody) {
    if (!body.empty()) problems.push_back(what + ": the API describes no request body");
    return problems;
  }
  if (body.empty()) {
    if (requestBody->optValue<bool>("required", false)) problems.push_back(what + ": the request body is required");
    return problems;
  }
  auto content = requestBody->getObject("content");
  auto json = content ? content->getObject("application/json") : nullptr;
  if (!json) return problems;
  Poco::Dynamic::Var parsed;
  try {
    Poco::JSON::Parser parser;
    parsed = parser.parse(body);
  } catch (const Poco::Exception& e) {
    problems.push_back(what + ": the body is not JSON: " + e.displayText());
    return problems;
  }
  checkValue(json->getObject("schema"), parsed, what + " body", problems, 0);
  return problems;
}

}  // namespace ekaci::testsupport
