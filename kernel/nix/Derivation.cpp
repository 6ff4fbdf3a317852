#include "kernel/nix/Derivation.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace ekaci::nix {
namespace {

// The value of `name` in the `__json` structured attributes, if there are any.
Poco::Dynamic::Var structuredAttribute(const Derivation& drv, std::string_view name) {
  const std::string* json = drv.envValue("__json");
  if (json == nullptr) return {};
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(*json).extract<Poco::JSON::Object::Ptr>();
    if (object.isNull() || !object->has(std::string(name))) return {};
    return object->get(std::string(name));
  } catch (const std::exception&) {
    return {};
  }
}

std::vector<std::string> splitWords(const std::string& text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

}  // namespace

const std::string* Derivation::envValue(std::string_view name) const {
  for (const auto& [key, value] : env) {
    if (key == name) return &value;
  }
  return nullptr;
}

bool Derivation::isFixedOutput() const {
  return outputs.size() == 1 && outputs[0].name == "out" && !outputs[0].hash.empty();
}

std::vector<std::string> Derivation::requiredSystemFeatures() const {
  if (const std::string* plain = envValue("requiredSystemFeatures")) return splitWords(*plain);
  auto structured = structuredAttribute(*this, "requiredSystemFeatures");
  std::vector<std::string> out;
  if (structured.isEmpty()) return out;
  try {
    auto array = structured.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) out.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
  } catch (const std::exception&) {
    if (structured.isString()) return splitWords(structured.toString());
  }
  return out;
}

bool Derivation::preferLocalBuild() const {
  if (const std::string* plain = envValue("preferLocalBuild")) return *plain == "1";
  auto structured = structuredAttribute(*this, "preferLocalBuild");
  return !structured.isEmpty() && structured.isBoolean() && structured.extract<bool>();
}

std::optional<std::string> Derivation::attribute(std::string_view name) const {
  if (const std::string* plain = envValue(name)) return *plain;
  auto structured = structuredAttribute(*this, name);
  if (!structured.isEmpty() && structured.isString()) return structured.toString();
  return std::nullopt;
}

}  // namespace ekaci::nix
