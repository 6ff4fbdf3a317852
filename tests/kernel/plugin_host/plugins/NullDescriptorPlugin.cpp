// Its entry point returns no descriptor.
#include "ekaci/sdk/PluginEntry.h"

extern "C" const ekaci_plugin_descriptor* null_descriptor_entry() { return nullptr; }
BOOST_DLL_ALIAS(null_descriptor_entry, ekaci_plugin_entry)
