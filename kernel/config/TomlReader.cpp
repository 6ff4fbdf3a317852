// toml++ is used header-only, in this translation unit alone, so that the parser is built
// with TOML_ENABLE_UNRELEASED_FEATURES (multi-line inline tables) whatever the system
// library was built with.
#define TOML_HEADER_ONLY 1
#define TOML_ENABLE_UNRELEASED_FEATURES 1
#include "kernel/config/TomlReader.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

namespace ekaci::config {
namespace {

sdk::SourceLocation locationOf(const toml::source_region& region, const std::string& sourceName) {
  return sdk::SourceLocation{sourceName, static_cast<std::uint32_t>(region.begin.line),
                             static_cast<std::uint32_t>(region.begin.column)};
}

sdk::Value convert(const toml::node& node, const std::string& sourceName);

sdk::Value convertTable(const toml::table& table, const std::string& sourceName) {
  // toml++ orders keys alphabetically; restore the order in which they were written.
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  for (auto&& [key, node] : table) entries.emplace_back(&key, &node);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const auto& pa = a.first->source().begin;
    const auto& pb = b.first->source().begin;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  sdk::Value out = sdk::Value::table();
  out.setLocation(locationOf(table.source(), sourceName));
  for (const auto& [key, node] : entries) {
    sdk::Value child = convert(*node, sourceName);
    // Point at the key: that is where a person looks for a misspelt or misplaced setting.
    if (key->source().begin.line != 0) child.setLocation(locationOf(key->source(), sourceName));
    out.set(std::string(key->str()), std::move(child));
  }
  return out;
}

sdk::Value convert(const toml::node& node, const std::string& sourceName) {
  sdk::Value out;
  if (const auto* table = node.as_table()) return convertTable(*table, sourceName);
  if (const auto* array = node.as_array()) {
    out = sdk::Value::array();
    for (const auto& item : *array) out.push(convert(item, sourceName));
  } else if (const auto* s = node.as_string()) {
    out = sdk::Value::string(s->get());
  } else if (const auto* i = node.as_integer()) {
    out = sdk::Value::integer(i->get());
  } else if (const auto* f = node.as_floating_point()) {
    out = sdk::Value::floating(f->get());
  } else if (const auto* b = node.as_boolean()) {
    out = sdk::Value::boolean(b->get());
  } else {
    // Dates and times: kept as their TOML text.
    std::ostringstream text;
    node.visit([&](const auto& n) { text << n; });
    out = sdk::Value::string(text.str());
  }
  out.setLocation(locationOf(node.source(), sourceName));
  return out;
}

}  // namespace

sdk::Result<sdk::Value> TomlReader::parse(const std::string& text, const std::string& sourceName) {
  try {
    toml::table table = toml::parse(text, sourceName);
    sdk::Value root = convertTable(table, sourceName);
    root.setLocation(sdk::SourceLocation{sourceName, 1, 1});
    return root;
  } catch (const toml::parse_error& e) {
    sdk::SourceLocation where{sourceName, static_cast<std::uint32_t>(e.source().begin.line),
                              static_cast<std::uint32_t>(e.source().begin.column)};
    return sdk::Error(sdk::ErrorCode::ConfigParse, where.describe() + ": " + std::string(e.description()));
  }
}

sdk::Result<sdk::Value> TomlReader::readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return sdk::Error(sdk::ErrorCode::ConfigFileNotFound, "cannot read configuration file " + path.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path.string());
}

}  // namespace ekaci::config
