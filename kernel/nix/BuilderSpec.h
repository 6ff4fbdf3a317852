#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ekaci::nix {

enum class BuilderKind { Local, FixedOutput, Remote };

// One place builds can run: this machine (general or fixed-output capacity) or a remote
// machine from a file in /etc/nix/machines format.
struct BuilderSpec {
  std::string name;  // "local", "local-fod", or the remote URI
  BuilderKind kind = BuilderKind::Local;
  std::string uri;  // remote only: ssh://, ssh-ng:// or any store URI Nix accepts
  std::vector<std::string> systems;
  std::string sshKey;  // remote only; empty: the ssh default
  std::size_t maxJobs = 1;
  int speedFactor = 1;
  std::vector<std::string> supportedFeatures;
  std::vector<std::string> mandatoryFeatures;
  std::string publicHostKey;  // base64, remote only

  // The builder can ever take a derivation of `system` requiring `features`: it builds that
  // system, supports every required feature, and every mandatory feature is required.
  bool canBuild(const std::string& system, const std::vector<std::string>& features) const;
  // The line Nix's --builders option takes for this machine alone.
  std::string machinesLine() const;
};

const char* toString(BuilderKind kind);

}  // namespace ekaci::nix
