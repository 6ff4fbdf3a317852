#include "NixCopyCacheFactory.h"

#include "NixCopyCache.h"

namespace ekaci::plugins::caches {

sdk::SettingsSchema NixCopyCacheFactory::settings() const {
  using namespace sdk::settings;
  sdk::Setting key = string("secret_key_file", std::nullopt,
                            "Signing key (nix-store --generate-binary-cache-key) the pushed paths are signed with.");
  key.minimum = 1;
  return {requiredString("destination",
                         "Nix store URL: s3://bucket/path?region=R (profile=, endpoint= for S3-compatible services), "
                         "https://cache.example.com, file:///srv/cache, ssh://host."),
          credentials("credentials", false,
                      "Where the backend's secrets come from (AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY for S3); each "
                      "entry becomes an environment variable of nix."),
          key, string("nix_program", "nix", "The nix executable (a newer Nix than the server's, for example).")};
}

sdk::Result<std::unique_ptr<sdk::Cache>> NixCopyCacheFactory::create(const sdk::Value& config,
                                                                     sdk::HostServices& host) const {
  NixCopyCache::Settings s;
  const sdk::Value* destination = config.find("destination");
  if (destination == nullptr || !destination->isString() || destination->asString().empty()) {
    return sdk::Error(sdk::ErrorCode::ConfigMissingKey, "a nix-copy cache needs a destination");
  }
  s.destination = destination->asString();
  if (const sdk::Value* key = config.find("secret_key_file"); key != nullptr && key->isString()) {
    s.secretKeyFile = key->asString();
    if (s.secretKeyFile.find_first_of("&?") != std::string::npos) {
      return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, "secret_key_file may not contain '&' or '?'");
    }
  }
  if (const sdk::Value* program = config.find("nix_program"); program != nullptr && program->isString()) {
    s.nixProgram = program->asString();
  }
  if (const sdk::Value* credentials = config.find("credentials"); credentials != nullptr) s.credentials = *credentials;
  return std::unique_ptr<sdk::Cache>(std::make_unique<NixCopyCache>(std::move(s), host));
}

}  // namespace ekaci::plugins::caches
