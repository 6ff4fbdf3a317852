// A shared object that is not an eka-ci plugin: it has no ekaci_plugin_entry symbol.
extern "C" __attribute__((visibility("default"))) int some_other_function() { return 42; }
