#include "kernel/nix/NixEnvironment.h"

#include <algorithm>
#include <iterator>
#include <string_view>

extern char** environ;

namespace ekaci::nix {
namespace {

constexpr std::string_view kAllowed[] = {
    "PATH", "HOME", "TMPDIR", "TZ", "LANG", "LANGUAGE",
    // Nix's own configuration, store and daemon
    "NIX_REMOTE", "NIX_CONF_DIR", "NIX_USER_CONF_FILES", "NIX_STORE_DIR", "NIX_STATE_DIR", "NIX_LOG_DIR",
    "NIX_DAEMON_SOCKET_PATH", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME",
    // certificates for substituters and remote stores
    "NIX_SSL_CERT_FILE", "SSL_CERT_FILE", "CURL_CA_BUNDLE"};

}  // namespace

NixEnvironment::NixEnvironment(std::vector<std::string> operatorNames) : operatorNames_(std::move(operatorNames)) {}

bool NixEnvironment::allowed(const std::string& name) const {
  if (name.starts_with("LC_")) return true;
  if (std::find(std::begin(kAllowed), std::end(kAllowed), name) != std::end(kAllowed)) return true;
  return std::find(operatorNames_.begin(), operatorNames_.end(), name) != operatorNames_.end();
}

NixEnvironment::Variables NixEnvironment::select(const std::vector<std::string>& entries) const {
  Variables out;
  for (const auto& entry : entries) {
    const auto eq = entry.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    std::string name = entry.substr(0, eq);
    if (allowed(name)) out.emplace_back(std::move(name), entry.substr(eq + 1));
  }
  std::sort(out.begin(), out.end());
  return out;
}

NixEnvironment::Variables NixEnvironment::variables() const {
  std::vector<std::string> entries;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) entries.emplace_back(*e);
  return select(entries);
}

}  // namespace ekaci::nix
