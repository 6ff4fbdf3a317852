#include "kernel/config/SettingsValidator.h"

#include <algorithm>
#include <charconv>

#include "kernel/config/CredentialTags.h"
#include "kernel/config/Suggestion.h"

namespace ekaci::config {
namespace {

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

const char* expectedName(sdk::SettingType type) {
  switch (type) {
    case sdk::SettingType::Bool:
      return "a boolean";
    case sdk::SettingType::Integer:
      return "an integer";
    case sdk::SettingType::Float:
      return "a number";
    case sdk::SettingType::String:
    case sdk::SettingType::Enum:
      return "a string";
    case sdk::SettingType::StringList:
      return "an array of strings";
    case sdk::SettingType::Table:
      return "a table";
    case sdk::SettingType::TableList:
      return "an array of tables ([[...]])";
    case sdk::SettingType::TableMap:
      return "a table of named tables";
    case sdk::SettingType::Credentials:
      return "a credentials block";
    case sdk::SettingType::Any:
      return "any value";
  }
  return "a value";
}

std::string quoted(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "'" : ", '") + item + "'";
  return out;
}

}  // namespace

bool SettingsValidator::checkType(const sdk::Setting& setting, const sdk::Value& value, const std::string& path) {
  bool ok = false;
  switch (setting.type) {
    case sdk::SettingType::Bool:
      ok = value.isBool();
      break;
    case sdk::SettingType::Integer:
      ok = value.isInteger();
      break;
    case sdk::SettingType::Float:
      ok = value.isNumber();
      break;
    case sdk::SettingType::String:
    case sdk::SettingType::Enum:
      ok = value.isString();
      break;
    case sdk::SettingType::StringList:
      ok = value.isArray() &&
           std::all_of(value.items().begin(), value.items().end(), [](const sdk::Value& v) { return v.isString(); });
      break;
    case sdk::SettingType::Table:
      ok = value.isTable();
      break;
    case sdk::SettingType::TableList:
      ok = value.isArray() &&
           std::all_of(value.items().begin(), value.items().end(), [](const sdk::Value& v) { return v.isTable(); });
      break;
    case sdk::SettingType::TableMap:
      ok = value.isTable();
      break;
    case sdk::SettingType::Credentials:
      ok = value.isString() || value.isTable();
      break;
    case sdk::SettingType::Any:
      ok = true;
      break;
  }
  if (!ok && setting.nullable && value.isNull()) ok = true;
  if (!ok) {
    std::string shown = setting.secret ? std::string("<redacted>") : value.toString();
    if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
    diagnostics_.add(
        sdk::ErrorCode::ConfigWrongType, value.location(), path,
        std::string("expected ") + expectedName(setting.type) + ", found " + value.kindName() + " " + shown);
  }
  return ok;
}

void SettingsValidator::validateValue(const sdk::Setting& setting, sdk::Value& value, const std::string& path) {
  if (!checkType(setting, value, path) || value.isNull()) return;
  switch (setting.type) {
    case sdk::SettingType::Integer: {
      auto i = value.asInteger();
      if ((setting.minimum && i < *setting.minimum) || (setting.maximum && i > *setting.maximum)) {
        diagnostics_.add(sdk::ErrorCode::ConfigInvalidValue, value.location(), path,
                         std::to_string(i) + " is outside the allowed range " +
                             (setting.minimum ? std::to_string(*setting.minimum) : "-inf") + ".." +
                             (setting.maximum ? std::to_string(*setting.maximum) : "inf"));
      }
      break;
    }
    case sdk::SettingType::String:
      // For strings the kernel reads `minimum` as a minimum length: a path set to "" would
      // otherwise mean "the current directory" or, for SQLite, a database deleted on close.
      if (setting.minimum && static_cast<std::int64_t>(value.asString().size()) < *setting.minimum) {
        diagnostics_.add(sdk::ErrorCode::ConfigInvalidValue, value.location(), path,
                         *setting.minimum == 1
                             ? std::string("must not be empty (leave the key out for the default)")
                             : "must be at least " + std::to_string(*setting.minimum) + " characters");
      }
      break;
    case sdk::SettingType::Enum:
      if (std::find(setting.choices.begin(), setting.choices.end(), value.asString()) == setting.choices.end()) {
        diagnostics_.add(sdk::ErrorCode::ConfigInvalidValue, value.location(), path,
                         "'" + value.asString() + "' is not one of " + quoted(setting.choices) +
                             Suggestion::hint(value.asString(), setting.choices));
      }
      break;
    case sdk::SettingType::Table:
      validateTable(setting.children, value, path, setting.openTable);
      break;
    case sdk::SettingType::TableList:
      for (std::size_t i = 0; i < value.items().size(); ++i) {
        validateTable(setting.children, value.items()[i], path + "[" + std::to_string(i) + "]", setting.openTable);
      }
      break;
    case sdk::SettingType::TableMap:
      for (std::size_t i = 0; i < value.size(); ++i) {
        sdk::Value& entry = value.items()[i];
        const std::string entryPath = path + "." + value.keys()[i];
        if (!entry.isTable()) {
          diagnostics_.add(sdk::ErrorCode::ConfigWrongType, entry.location(), entryPath,
                           std::string("expected a table, found ") + entry.kindName());
          continue;
        }
        validateTable(setting.children, entry, entryPath, setting.openTable);
      }
      break;
    case sdk::SettingType::Credentials:
      validateCredentials(value, path);
      break;
    default:
      break;
  }
}

void SettingsValidator::validateCredentials(sdk::Value& value, const std::string& path) {
  auto names = CredentialTags::names();
  names.insert(names.end(), pluginCredentialSources_.begin(), pluginCredentialSources_.end());
  const bool fromPlugin = value.isTable() && value.size() == 1 &&
                          std::find(pluginCredentialSources_.begin(), pluginCredentialSources_.end(),
                                    value.keys().front()) != pluginCredentialSources_.end();
  if (fromPlugin && CredentialTags::find(value.keys().front()) == nullptr) {
    if (!value.items().front().isTable()) {
      diagnostics_.add(sdk::ErrorCode::ConfigWrongType, value.items().front().location(),
                       join(path, value.keys().front()), "expected a table of settings");
    }
    return;
  }
  if (value.isString()) {
    const auto* tag = CredentialTags::find(value.asString());
    if (tag == nullptr) {
      diagnostics_.add(
          sdk::ErrorCode::ConfigUnknownCredentialTag, value.location(), path,
          "unknown credential source '" + value.asString() + "'" + Suggestion::hint(value.asString(), names));
    } else if (!tag->bareAllowed) {
      diagnostics_.add(sdk::ErrorCode::ConfigWrongType, value.location(), path,
                       "credential source '" + tag->name + "' needs settings: write " + tag->name + " = { ... }");
    }
    return;
  }
  if (!value.isTable() || value.size() != 1) {
    diagnostics_.add(sdk::ErrorCode::ConfigWrongType, value.location(), path,
                     "a credentials block names exactly one source, e.g. { file = { path = \"...\" } }; found " +
                         std::to_string(value.size()) + " keys");
    return;
  }
  const std::string& name = value.keys().front();
  sdk::Value& inner = value.items().front();
  const auto* tag = CredentialTags::find(name);
  const std::string innerPath = join(path, name);
  if (tag == nullptr) {
    diagnostics_.add(sdk::ErrorCode::ConfigUnknownCredentialTag, inner.location(), innerPath,
                     "unknown credential source '" + name + "'" + Suggestion::hint(name, names));
    return;
  }
  if (!inner.isTable()) {
    diagnostics_.add(sdk::ErrorCode::ConfigWrongType, inner.location(), innerPath,
                     std::string("expected a table of settings, found ") + inner.kindName());
  }
  // The settings inside are the credential plugin's: PluginRequirements checks them.
}

void SettingsValidator::applyEnvironment(const sdk::Setting& setting, sdk::Value& table, const std::string& path) {
  if (setting.envOverride.empty()) return;
  // Several variables may be named, comma-separated; the first one set wins.
  std::size_t start = 0;
  while (start <= setting.envOverride.size()) {
    std::size_t comma = setting.envOverride.find(',', start);
    std::string name =
        setting.envOverride.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? setting.envOverride.size() + 1 : comma + 1;
    auto text = environment_.nonEmpty(name);
    if (!text) continue;
    sdk::Value value;
    const sdk::SourceLocation where{"environment variable " + name, 0, 0};
    switch (setting.type) {
      case sdk::SettingType::Integer: {
        std::int64_t parsed = 0;
        const std::string digits = *text;
        auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), parsed);
        if (ec != std::errc() || ptr != digits.data() + digits.size()) {
          diagnostics_.add(sdk::ErrorCode::ConfigWrongType, where, join(path, setting.name),
                           "expected an integer, found '" + *text + "'");
          return;
        }
        value = sdk::Value::integer(parsed);
        break;
      }
      case sdk::SettingType::Bool: {
        std::string lower;
        for (char c : *text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        if (lower == "1" || lower == "true" || lower == "yes" || lower == "on") {
          value = sdk::Value::boolean(true);
        } else if (lower == "0" || lower == "false" || lower == "no" || lower == "off") {
          value = sdk::Value::boolean(false);
        } else {
          diagnostics_.add(sdk::ErrorCode::ConfigWrongType, where, join(path, setting.name),
                           "expected true/false/1/0/yes/no/on/off, found '" + *text + "'");
          return;
        }
        break;
      }
      default:
        value = sdk::Value::string(*text);
        break;
    }
    value.setLocation(where);
    table.set(setting.name, std::move(value));
    return;
  }
}

void SettingsValidator::validateTable(const sdk::SettingsSchema& schema, sdk::Value& table, const std::string& path,
                                      bool open) {
  if (!table.isTable()) {
    diagnostics_.add(sdk::ErrorCode::ConfigWrongType, table.location(), path,
                     std::string("expected a table, found ") + table.kindName());
    return;
  }
  std::vector<std::string> known;
  for (const auto& setting : schema) known.push_back(setting.name);
  if (!open) {
    for (std::size_t i = 0; i < table.size(); ++i) {
      const std::string& key = table.keys()[i];
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string where = path.empty() ? "at the top level" : "in [" + path + "]";
      diagnostics_.add(sdk::ErrorCode::ConfigUnknownKey, table.items()[i].location(), join(path, key),
                       "unknown key '" + key + "' " + where + Suggestion::hint(key, known));
    }
  }
  for (const auto& setting : schema) {
    applyEnvironment(setting, table, path);
    sdk::Value* value = table.find(setting.name);
    const std::string childPath = join(path, setting.name);
    if (value == nullptr) {
      if (setting.required) {
        std::string where = path.empty() ? "at the top level" : "in [" + path + "]";
        diagnostics_.add(sdk::ErrorCode::ConfigMissingKey, table.location(), childPath,
                         "required key '" + setting.name + "' is missing " + where);
        continue;
      }
      const bool hasRequiredChild = std::any_of(setting.children.begin(), setting.children.end(),
                                                [](const sdk::Setting& c) { return c.required; });
      if (setting.type == sdk::SettingType::Table && !hasRequiredChild) {
        // Absent sub-tables get their own defaults, so later code can read every key. (A
        // table with required keys is optional as a whole: absent means not configured.)
        sdk::Value empty = sdk::Value::table();
        empty.setLocation(table.location());
        validateTable(setting.children, table.set(setting.name, std::move(empty)), childPath, setting.openTable);
      } else if (!setting.defaultValue.isNull()) {
        sdk::Value def = setting.defaultValue;
        def.setLocation(sdk::SourceLocation{"default", 0, 0});
        table.set(setting.name, std::move(def));
      }
      continue;
    }
    validateValue(setting, *value, childPath);
  }
}

}  // namespace ekaci::config
