#pragma once

#include <filesystem>
#include <optional>
#include <utility>
#include <vector>

#include "ekaci/sdk/Result.h"
#include "kernel/config/Environment.h"
#include "kernel/config/ServerConfig.h"

namespace ekaci::config {

// Finds, reads and validates ekaci.toml and turns it into a ServerConfig.
//
// Location: the explicit path (--config) when given, else $EKA_CI_CONFIG_FILE, else
// $XDG_CONFIG_HOME/ekaci/ekaci.toml (XDG_CONFIG_HOME defaults to ~/.config). A missing
// default file means "all defaults"; a missing explicit file is an error.
// Every problem is reported at once, each with file, line, key and a suggestion.
class ConfigLoader {
 public:
  explicit ConfigLoader(Environment environment) : environment_(std::move(environment)) {}

  sdk::Result<ServerConfig> load(const std::optional<std::filesystem::path>& explicitPath) const;
  sdk::Result<ServerConfig> loadText(const std::string& text, const std::string& sourceName) const;

  // Credential source types of loaded plugins, accepted in credentials blocks.
  void allowCredentialSources(std::vector<std::string> types) { pluginCredentialSources_ = std::move(types); }

  // plugin_paths and optional_plugin_paths of a file, read before the full validation
  // (which needs the plugins loaded). Missing keys read as empty lists.
  static sdk::Result<std::pair<std::vector<std::string>, std::vector<std::string>>> peekPluginPaths(
      const std::filesystem::path& file);

  // The socket the server at this configuration listens on, without validating the rest of
  // the file (used by the CLI).
  std::filesystem::path socketPathFor(const std::optional<std::filesystem::path>& explicitPath) const;

  // Where load() looks when no path is given.
  std::filesystem::path defaultPath() const;

 private:
  sdk::Result<ServerConfig> build(sdk::Value root, std::filesystem::path source) const;
  std::filesystem::path dataHome() const;
  std::filesystem::path defaultSocketPath(const std::filesystem::path& stateDir) const;

  Environment environment_;
  std::vector<std::string> pluginCredentialSources_;
};

}  // namespace ekaci::config
