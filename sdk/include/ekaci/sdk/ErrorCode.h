#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "ekaci/sdk/Export.h"

namespace ekaci::sdk {

// Stable, numbered error codes. A number, once released, keeps its meaning forever: new
// codes are appended to their group, retired ones are never reused. Operators search for
// "E<number>" in docs/ERRORS.md, which is generated from errorCodeTable().
enum class ErrorCode : std::int32_t {
  Ok = 0,

  // 1xxx: general
  Internal = 1000,
  InvalidArgument = 1001,
  NotFound = 1002,
  Cancelled = 1003,
  Unsupported = 1004,
  IoError = 1005,
  Timeout = 1006,
  PermissionDenied = 1007,
  AlreadyExists = 1008,
  StateDirectoryBusy = 1009,

  // 2xxx: configuration
  ConfigParse = 2000,
  ConfigUnknownKey = 2001,
  ConfigWrongType = 2002,
  ConfigMissingKey = 2003,
  ConfigInvalidValue = 2004,
  ConfigUnknownPluginType = 2005,
  ConfigUnknownCredentialTag = 2006,
  ConfigFileNotFound = 2007,
  ConfigDuplicateId = 2008,
  ConfigPluginUnavailable = 2009,

  // 3xxx: plugins
  PluginLoadFailed = 3000,
  PluginMissingEntry = 3001,
  PluginApiVersionMismatch = 3002,
  PluginAbiMismatch = 3003,
  PluginRegisterFailed = 3004,
  PluginDuplicateType = 3005,
  PluginBadDescriptor = 3006,
  PluginCreateFailed = 3007,
  PluginInsecurePath = 3008,
  PluginCallFailed = 3009,

  // 4xxx: storage
  StorageOpen = 4000,
  StorageMigration = 4001,
  StorageSchemaTooNew = 4002,
  StorageQuery = 4003,
  StorageConstraint = 4004,

  // 5xxx: credentials and secrets
  SecretNotFound = 5000,
  SecretFileInsecure = 5001,
  SecretFileUnreadable = 5002,
  SecretParse = 5003,
  SecretSourceUnavailable = 5004,

  // 6xxx: network and HTTP
  HttpConnect = 6000,
  HttpTimeout = 6001,
  HttpStatus = 6002,
  HttpBadUrl = 6003,
  HttpBadRequest = 6004,
  HttpPayloadTooLarge = 6005,

  // 7xxx: processes
  ProcessSpawn = 7000,
  ProcessTimeout = 7001,
  ProcessNoOutputTimeout = 7002,
  ProcessKilled = 7003,

  // 8xxx: forges and webhooks
  WebhookSignatureMissing = 8000,
  WebhookSignatureInvalid = 8001,
  WebhookMalformed = 8002,
  ForgeApi = 8003,
  ForgeRateLimited = 8004,
  ForgeAuthentication = 8005,
  ForgeRepositoryNotAllowed = 8006,
  ForgeNotMergeable = 8007,
  ForgeHeadChanged = 8008,
  ForgeMergeMethodNotAllowed = 8009,

  // 9xxx: client protocol
  ProtocolFrameTooLarge = 9000,
  ProtocolMalformed = 9001,
  ProtocolUnknownCommand = 9002,

  // 10xxx: builds
  BuildUnsandboxed = 10000,

  // 11xxx: after builds: binary caches and post-build hooks
  CachePushFailed = 11000,
  CacheTimeout = 11001,
  CacheUnavailable = 11002,
  CacheNotAllowed = 11003,
  HookNotAllowed = 11004,
  HookFailed = 11005,
};

struct ErrorCodeInfo {
  ErrorCode code;
  const char* name;     // stable identifier, e.g. "config.unknown_key"
  const char* meaning;  // one sentence an operator can act on
};

// Every code with its name and meaning, ordered by number. Valid for the process lifetime.
EKACI_SDK_API std::span<const ErrorCodeInfo> errorCodeTable() noexcept;

// The stable name of a code ("unknown" for a number not in the table). Never null.
EKACI_SDK_API const char* errorCodeName(ErrorCode code) noexcept;

}  // namespace ekaci::sdk
