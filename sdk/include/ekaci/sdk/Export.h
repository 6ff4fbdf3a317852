#pragma once

// Symbols of libekaci_sdk.so that plugins and the kernel share. Interfaces are always
// visible so that their vtables and type information exist once, in the SDK library.
#define EKACI_SDK_API __attribute__((visibility("default")))
