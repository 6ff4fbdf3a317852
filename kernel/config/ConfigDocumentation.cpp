#include "kernel/config/ConfigDocumentation.h"

#include "ekaci/sdk/ErrorCode.h"

namespace ekaci::config {
namespace {

std::string typeName(const sdk::Setting& s) {
  switch (s.type) {
    case sdk::SettingType::Bool:
      return "boolean";
    case sdk::SettingType::Integer: {
      std::string out = "integer";
      if (s.minimum && s.maximum) out += " (" + std::to_string(*s.minimum) + "–" + std::to_string(*s.maximum) + ")";
      return out;
    }
    case sdk::SettingType::Float:
      return "number";
    case sdk::SettingType::String:
      return s.nullable ? "string or unset" : "string";
    case sdk::SettingType::StringList:
      return "array of strings";
    case sdk::SettingType::Enum: {
      std::string out = "one of ";
      for (std::size_t i = 0; i < s.choices.size(); ++i) out += (i ? ", " : "") + ("`" + s.choices[i] + "`");
      return out;
    }
    case sdk::SettingType::Table:
      return "table";
    case sdk::SettingType::TableList:
      return "array of tables";
    case sdk::SettingType::TableMap:
      return "table of named tables";
    case sdk::SettingType::Credentials:
      return "credentials block";
    case sdk::SettingType::Any:
      return "any";
  }
  return "?";
}

void renderToml(const sdk::SettingsSchema& schema, const std::string& prefix, std::string& scalars, std::string& tables) {
  for (const auto& s : schema) {
    const std::string name = prefix.empty() ? s.name : prefix + "." + s.name;
    if (s.type == sdk::SettingType::Table) {
      std::string childScalars, childTables;
      renderToml(s.children, name, childScalars, childTables);
      tables += "\n# " + s.doc + "\n[" + name + "]\n" + childScalars + childTables;
      continue;
    }
    if (s.type == sdk::SettingType::TableList) {
      tables += "\n# " + s.doc + " Example block (none by default):\n# [[" + name + "]]\n";
      for (const auto& child : s.children) {
        tables += "#   " + child.name + " = ...  # " + typeName(child) + (child.required ? ", required" : "") + "\n";
      }
      continue;
    }
    scalars += "# " + s.doc;
    if (!s.envOverride.empty()) scalars += " Environment: " + s.envOverride + ".";
    scalars += "\n";
    if (s.defaultValue.isNull() || s.secret) {
      scalars += "# " + s.name + " =\n";
    } else {
      scalars += s.name + " = " + s.defaultValue.toString() + "\n";
    }
  }
}

void renderMarkdown(const sdk::SettingsSchema& schema, const std::string& prefix, std::string& out) {
  std::vector<const sdk::Setting*> nested;
  for (const auto& s : schema) {
    const std::string name = prefix.empty() ? s.name : prefix + "." + s.name;
    std::string def = s.defaultValue.isNull() ? (s.required ? "required" : "unset") : "`" + s.defaultValue.toString() + "`";
    if (s.type == sdk::SettingType::Table) def = "";
    out += "| `" + name + "` | " + typeName(s) + " | " + def + " | " + (s.envOverride.empty() ? "" : "`" + s.envOverride + "`") +
           " | " + s.doc + " |\n";
    if (!s.children.empty()) nested.push_back(&s);
  }
  for (const auto* s : nested) {
    const std::string name = prefix.empty() ? s->name : prefix + "." + s->name;
    out += "\n### `" + (s->type == sdk::SettingType::TableList ? "[[" + name + "]]" : "[" + name + "]") + "`\n\n";
    out += s->doc + "\n\n| key | type | default | environment | meaning |\n|---|---|---|---|---|\n";
    renderMarkdown(s->children, name, out);
  }
}

}  // namespace

std::string ConfigDocumentation::defaultToml(const sdk::SettingsSchema& schema) {
  std::string scalars, tables;
  renderToml(schema, "", scalars, tables);
  return "# ekaci.toml with every documented default.\n\n" + scalars + tables;
}

std::string ConfigDocumentation::markdownReference(const sdk::SettingsSchema& schema) {
  std::string out =
      "| key | type | default | environment | meaning |\n|---|---|---|---|---|\n";
  renderMarkdown(schema, "", out);
  return out;
}

std::string ConfigDocumentation::errorCodeTable() {
  std::string table = "| code | name | meaning |\n|---|---|---|\n";
  for (const auto& info : sdk::errorCodeTable()) {
    table += "| E" + std::to_string(static_cast<int>(info.code)) + " | `" + info.name + "` | " + info.meaning + " |\n";
  }
  return table;
}

}  // namespace ekaci::config
