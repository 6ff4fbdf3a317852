#include "kernel/config/CredentialTags.h"

namespace ekaci::config {
namespace {

std::vector<CredentialTags::Tag> makeTags() {
  return {
      {"env", "env", false},
      {"file", "file", false},
      {"vault", "vault", false},
      {"aws-secrets-manager", "aws-secrets-manager", false},
      {"systemd", "systemd-credential", false},
      {"systemd-credential", "systemd-credential", false},
      {"instance-metadata", "instance-metadata", true},
      {"aws-profile", "aws-profile", false},
      {"github-app-key", "github-app-key", false},
      {"github-app-key-file", "github-app-key-file", false},
      {"cachix-token", "cachix-token", false},
      {"none", "none", true},
  };
}
}  // namespace

const std::vector<CredentialTags::Tag>& CredentialTags::all() {
  static const std::vector<Tag> kTags = makeTags();  // immutable after first use
  return kTags;
}

const CredentialTags::Tag* CredentialTags::find(const std::string& name) {
  for (const auto& tag : all()) {
    if (tag.name == name) return &tag;
  }
  return nullptr;
}

std::vector<std::string> CredentialTags::names() {
  std::vector<std::string> out;
  for (const auto& tag : all()) out.push_back(tag.name);
  return out;
}

}  // namespace ekaci::config
