#include "ekaci/sdk/PluginInstance.h"

namespace ekaci::sdk {

PluginInstance::~PluginInstance() = default;

}  // namespace ekaci::sdk
