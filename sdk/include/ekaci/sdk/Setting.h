#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ekaci/sdk/Value.h"

namespace ekaci::sdk {

// The type a setting accepts.
enum class SettingType {
  Bool,
  Integer,
  Float,
  String,
  StringList,
  Enum,         // a string from `choices`
  Table,        // a table whose keys are `children`
  TableList,    // an array of tables ([[name]]), each with keys `children`
  TableMap,     // a table of named tables ({"jobs": {"a": {...}, "b": {...}}}), each with keys `children`
  Credentials,  // a tagged credential block: "none" or { <source> = { ... } }
  Any,          // a value validated later, by whoever owns it
};

// One declared setting: the single source of truth for validation, defaults, the
// generated reference documentation and --print-default-config. Settings are data.
struct Setting {
  std::string name;
  SettingType type = SettingType::String;
  std::string doc;
  Value defaultValue;  // Null: no default
  bool required = false;
  bool nullable = false;  // an explicit null / absent value is meaningful ("use fallback")
  bool secret = false;    // the value is never printed or logged
  std::optional<std::int64_t> minimum;
  std::optional<std::int64_t> maximum;
  std::vector<std::string> choices;  // Enum
  std::vector<Setting> children;     // Table / TableList
  std::string envOverride;           // environment variable that overrides the file
  bool openTable = false;            // Table: keys not in `children` are kept, not rejected
};

using SettingsSchema = std::vector<Setting>;

// Builders that keep schema declarations short and readable.
namespace settings {
inline Setting boolean(std::string name, bool def, std::string doc) {
  Setting s;
  s.name = std::move(name);
  s.type = SettingType::Bool;
  s.defaultValue = Value::boolean(def);
  s.doc = std::move(doc);
  return s;
}
inline Setting integer(std::string name, std::int64_t def, std::int64_t min, std::int64_t max,
                       std::string doc) {
  Setting s;
  s.name = std::move(name);
  s.type = SettingType::Integer;
  s.defaultValue = Value::integer(def);
  s.minimum = min;
  s.maximum = max;
  s.doc = std::move(doc);
  return s;
}
inline Setting string(std::string name, std::optional<std::string> def, std::string doc) {
  Setting s;
  s.name = std::move(name);
  s.type = SettingType::String;
  if (def) s.defaultValue = Value::string(*def);
  s.nullable = !def.has_value();
  s.doc = std::move(doc);
  return s;
}
inline Setting requiredString(std::string name, std::string doc) {
  Setting s;
  s.name = std::move(name);
  s.type = SettingType::String;
  s.required = true;
  s.doc = std::move(doc);
  return s;
}
inline Setting stringList(std::string name, std::string doc) {
  Setting s;
  s.name = std::move(name);
  s.type = SettingType::StringList;
  s.defaultValue = Value::array();
  s.doc = std::move(doc);
  return s;
}
inline Setting choice(std::string name, std::vector<std::string> choices, std::optional<std::string> def,
                      std::string doc) {
  Setting s;
  s.name = std::move(name);
  s.type = SettingType::Enum;
  s.choices = std::move(choices);
  if (def) s.defaultValue = Value::string(*def);
  s.required = !def.has_value();
  s.doc = std::move(doc);
  return s;
}
inline Setting table(std::string name, std::vector<Setting> children, std::string doc) {
  Setting s;
  s.name = std::move(name);
  s.type = SettingType::Table;
  s.children = std::move(children);
  s.doc = std::move(doc);
  return s;
}
inline Setting tableList(std::string name, std::vector<Setting> children, std::string doc) {
  Setting s;
  s.name = std::move(name);
  s.type = SettingType::TableList;
  s.children = std::move(children);
  s.defaultValue = Value::array();
  s.doc = std::move(doc);
  return s;
}
inline Setting tableMap(std::string name, std::vector<Setting> children, std::string doc) {
  Setting s;
  s.name = std::move(name);
  s.type = SettingType::TableMap;
  s.children = std::move(children);
  s.doc = std::move(doc);
  return s;
}
inline Setting number(std::string name, std::optional<double> def, std::string doc) {
  Setting s;
  s.name = std::move(name);
  s.type = SettingType::Float;
  if (def) s.defaultValue = Value::floating(*def);
  s.required = !def.has_value();
  s.doc = std::move(doc);
  return s;
}
inline Setting credentials(std::string name, bool required, std::string doc) {
  Setting s;
  s.name = std::move(name);
  s.type = SettingType::Credentials;
  s.required = required;
  s.doc = std::move(doc);
  return s;
}
inline Setting secretString(std::string name, std::string env, std::string doc) {
  Setting s = string(std::move(name), std::nullopt, std::move(doc));
  s.secret = true;
  s.envOverride = std::move(env);
  return s;
}
}  // namespace settings

}  // namespace ekaci::sdk
