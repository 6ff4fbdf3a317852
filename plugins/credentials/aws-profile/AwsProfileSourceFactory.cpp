#include "AwsProfileSourceFactory.h"

#include "AwsProfileSource.h"

namespace ekaci::plugins::credentials {

sdk::SettingsSchema AwsProfileSourceFactory::settings() const {
  return {sdk::settings::requiredString("profile", "Profile in ~/.aws/credentials.")};
}

sdk::Result<std::unique_ptr<sdk::CredentialSource>> AwsProfileSourceFactory::create(const sdk::Value& config,
                                                                                    sdk::HostServices&) const {
  const sdk::Value* profile = config.find("profile");
  if (profile == nullptr || !profile->isString() || profile->asString().empty() ||
      profile->asString().find_first_of("[]\n") != std::string::npos) {
    return sdk::Error(sdk::ErrorCode::ConfigMissingKey, "aws-profile needs a profile name");
  }
  return std::unique_ptr<sdk::CredentialSource>(std::make_unique<AwsProfileSource>(profile->asString()));
}

}  // namespace ekaci::plugins::credentials
