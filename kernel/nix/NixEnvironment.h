#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ekaci::nix {

// The environment eka-ci gives the Nix programs it runs (nix-store, nix-instantiate, nix):
// an allow-list of the server's variables, never the whole environment. Nix hands variables a
// fixed-output derivation lists in impureEnvVars to its builder (which keeps network access),
// so a server secret in the environment would reach pull-request code. Passed on: PATH, HOME,
// TMPDIR, TZ, the locale (LANG, LC_*), the variables Nix reads for its own configuration and
// store (NIX_REMOTE, NIX_CONF_DIR, NIX_STORE_DIR, ..., certificates), and what the operator
// lists (builders.pass_environment).
class NixEnvironment {
 public:
  using Variables = std::vector<std::pair<std::string, std::string>>;

  explicit NixEnvironment(std::vector<std::string> operatorNames = {});

  // The allowed variables of the current process's environment, sorted by name.
  Variables variables() const;
  // The same selection from an explicit list ("NAME=value" entries), for tests.
  Variables select(const std::vector<std::string>& entries) const;
  bool allowed(const std::string& name) const;

 private:
  std::vector<std::string> operatorNames_;
};

}  // namespace ekaci::nix
