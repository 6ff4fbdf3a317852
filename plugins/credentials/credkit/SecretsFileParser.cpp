#include "SecretsFileParser.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cctype>
#include <sstream>

namespace ekaci::plugins::credentials {
namespace {

bool isKeyStart(const std::string& line, std::size_t& eq) {
  eq = line.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  if (std::isdigit(static_cast<unsigned char>(line[0]))) return false;
  for (std::size_t i = 0; i < eq; ++i) {
    char c = line[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// A key name as it may appear in an error: printable ASCII only, and short whatever the input.
std::string nameForMessage(const std::string& name) {
  constexpr std::size_t kMaxShown = 40;
  std::string shown;
  for (char c : name) {
    if (shown.size() == kMaxShown) return shown + "...";
    const auto u = static_cast<unsigned char>(c);
    shown.push_back(u >= 0x20 && u < 0x7f ? c : '?');
  }
  return shown;
}

std::string unquote(std::string value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

sdk::Result<sdk::Credentials> parseJson(const std::string& text) {
  Poco::JSON::Object::Ptr object;
  try {
    Poco::JSON::Parser parser;
    object = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return sdk::Error(sdk::ErrorCode::SecretParse, "secrets file looks like JSON but is not a valid JSON object");
  }
  if (object.isNull()) return sdk::Error(sdk::ErrorCode::SecretParse, "secrets file is not a JSON object");
  sdk::Credentials out;
  std::vector<std::string> names;
  object->getNames(names);
  for (const auto& name : names) {
    if (name.empty()) return sdk::Error(sdk::ErrorCode::SecretParse, "secrets file has an entry with an empty name");
    const Poco::Dynamic::Var& value = object->get(name);
    if (!value.isString() && !value.isNumeric()) {
      return sdk::Error(sdk::ErrorCode::SecretParse,
                        "secrets file key '" + nameForMessage(name) + "' must be a string or a number");
    }
    out.set(name, sdk::Secret(value.convert<std::string>()));
  }
  if (out.empty()) return sdk::Error(sdk::ErrorCode::SecretParse, "secrets file has no entries");
  return out;
}

}  // namespace

sdk::Result<sdk::Credentials> SecretsFileParser::parse(const std::string& text) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') return parseJson(text);

  sdk::Credentials out;
  std::istringstream in(text);
  std::string line, currentKey, currentValue;
  std::size_t lineNumber = 0;
  auto flush = [&] {
    if (!currentKey.empty()) out.set(currentKey, sdk::Secret(unquote(currentValue)));
    currentKey.clear();
    currentValue.clear();
  };
  while (std::getline(in, line)) {
    ++lineNumber;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string trimmed = line;
    if (trimmed.rfind("export ", 0) == 0) trimmed = trimmed.substr(7);
    // Inside a PEM block every line belongs to the value, even base64 that looks like KEY=.
    const bool insidePem =
        currentValue.find("-----BEGIN") != std::string::npos && currentValue.find("-----END") == std::string::npos;
    if (insidePem) {
      currentValue += "\n" + line;
      continue;
    }
    std::size_t eq = 0;
    if (isKeyStart(trimmed, eq)) {
      flush();
      currentKey = trimmed.substr(0, eq);
      currentValue = trimmed.substr(eq + 1);
      continue;
    }
    const auto firstChar = line.find_first_not_of(" \t");
    if (firstChar == std::string::npos || line[firstChar] == '#') {
      flush();  // a blank or comment line ends a multi-line value
      continue;
    }
    if (currentKey.empty()) {
      return sdk::Error(sdk::ErrorCode::SecretParse,
                        "secrets file line " + std::to_string(lineNumber) + " is not KEY=value");
    }
    currentValue += "\n" + line;  // continuation of a multi-line value (PEM keys)
  }
  flush();
  if (out.empty()) return sdk::Error(sdk::ErrorCode::SecretParse, "secrets file has no KEY=value entries");
  return out;
}

}  // namespace ekaci::plugins::credentials
