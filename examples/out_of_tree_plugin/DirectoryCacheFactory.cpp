#include "DirectoryCacheFactory.h"

#include "DirectoryCache.h"

namespace acme {

ekaci::sdk::Result<std::unique_ptr<ekaci::sdk::Cache>> DirectoryCacheFactory::create(
    const ekaci::sdk::Value& /*config*/, ekaci::sdk::HostServices& host) const {
  // The plugin keeps its data in the state directory the server gives it.
  return std::unique_ptr<ekaci::sdk::Cache>(std::make_unique<DirectoryCache>(host.stateDirectory()));
}

}  // namespace acme
