#pragma once

#include <cstdint>

#include "ekaci/sdk/Version.h"

// The plugin API version. Bumped on every incompatible change of an SDK interface; the
// kernel requires equality (0.x series).
#define EKACI_SDK_API_VERSION 3u

#define EKACI_SDK_STR2(x) #x
#define EKACI_SDK_STR(x) EKACI_SDK_STR2(x)

#if defined(__clang__)
#define EKACI_SDK_COMPILER "clang-" EKACI_SDK_STR(__clang_major__)
#elif defined(__GNUC__)
#define EKACI_SDK_COMPILER "gcc-" EKACI_SDK_STR(__GNUC__)
#else
#define EKACI_SDK_COMPILER "unknown-compiler"
#endif

// Pull in the standard library's configuration macros.
#include <version>
#if defined(_LIBCPP_VERSION)
#define EKACI_SDK_STDLIB "libc++"
#elif defined(__GLIBCXX__)
#define EKACI_SDK_STDLIB "libstdc++-cxx11abi" EKACI_SDK_STR(_GLIBCXX_USE_CXX11_ABI)
#else
#define EKACI_SDK_STDLIB "unknown-stdlib"
#endif

#if defined(_GLIBCXX_DEBUG)
#define EKACI_SDK_DEBUG_CONTAINERS "-debugcontainers"
#else
#define EKACI_SDK_DEBUG_CONTAINERS ""
#endif

// Everything that must match between the kernel and a plugin for C++ objects to cross.
#define EKACI_SDK_ABI_FINGERPRINT                                                                                 \
  "sdk=" EKACI_SDK_VERSION ";compiler=" EKACI_SDK_COMPILER ";stdlib=" EKACI_SDK_STDLIB EKACI_SDK_DEBUG_CONTAINERS \
  ";std=" EKACI_SDK_STR(__cplusplus) ";headers=" EKACI_SDK_HEADER_HASH
