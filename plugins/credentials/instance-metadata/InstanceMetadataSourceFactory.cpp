#include "InstanceMetadataSourceFactory.h"

#include "InstanceMetadataSource.h"

namespace ekaci::plugins::credentials {

sdk::SettingsSchema InstanceMetadataSourceFactory::settings() const {
  using namespace sdk::settings;
  return {choice("provider", {"aws"}, "aws", "Cloud provider (AWS EC2; GCP and Azure are not supported yet)."),
          string("endpoint", "http://169.254.169.254", "The metadata service's address.")};
}

sdk::Result<std::unique_ptr<sdk::CredentialSource>> InstanceMetadataSourceFactory::create(
    const sdk::Value& config, sdk::HostServices& host) const {
  if (const sdk::Value* provider = config.find("provider");
      provider != nullptr && provider->isString() && provider->asString() != "aws") {
    return sdk::Error(sdk::ErrorCode::Unsupported,
                      "instance metadata of '" + provider->asString() + "' is not supported");
  }
  std::string endpoint = "http://169.254.169.254";
  if (const sdk::Value* e = config.find("endpoint"); e != nullptr && e->isString()) endpoint = e->asString();
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  if (endpoint.rfind("http://", 0) != 0 && endpoint.rfind("https://", 0) != 0) {
    return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, "instance metadata endpoint must be an http(s) URL");
  }
  return std::unique_ptr<sdk::CredentialSource>(std::make_unique<InstanceMetadataSource>(host, endpoint));
}

}  // namespace ekaci::plugins::credentials
