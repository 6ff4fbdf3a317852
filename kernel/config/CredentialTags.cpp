#include "kernel/config/CredentialTags.h"

namespace ekaci::config {
namespace {
using namespace sdk::settings;

sdk::Setting requiredList(std::string name, std::string doc) {
  sdk::Setting s = stringList(std::move(name), std::move(doc));
  s.required = true;
  s.defaultValue = sdk::Value();
  return s;
}

std::vector<CredentialTags::Tag> makeTags() {
  return {
      {"env", "env", false, {requiredList("vars", "Environment variables that hold the secrets.")}},
      {"file", "file", false, {requiredString("path", "JSON or KEY=value file (mode 600).")}},
      {"vault",
       "vault",
       false,
       {requiredString("address", "Vault server URL."), requiredString("secret_path", "KV v2 secret path."),
        string("token_env", "VAULT_TOKEN", "Environment variable holding the Vault token."),
        string("namespace", std::nullopt, "Vault Enterprise namespace.")}},
      {"aws-secrets-manager",
       "aws-secrets-manager",
       false,
       {requiredString("secret_name", "Secret name or ARN."),
        string("region", std::nullopt, "AWS region; defaults to AWS_REGION.")}},
      {"systemd", "systemd-credential", false, {requiredString("credential_id", "systemd credential name.")}},
      {"systemd-credential", "systemd-credential", false, {requiredString("name", "systemd credential name.")}},
      {"instance-metadata", "instance-metadata", true, {string("provider", "aws", "Cloud provider.")}},
      {"aws-profile", "aws-profile", false, {requiredString("profile", "Profile in ~/.aws/credentials.")}},
      {"github-app-key", "github-app-key", false, {requiredString("app_id", "GitHub App id.")}},
      {"github-app-key-file",
       "github-app-key-file",
       false,
       {requiredString("app_id_env", "Environment variable holding the App id."),
        requiredString("key_file", "PEM private key file (mode 600).")}},
      {"cachix-token", "cachix-token", false, {requiredString("env_var", "Environment variable holding the token.")}},
      {"none", "none", true, {}},
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
