#include "ekaci/sdk/ErrorCode.h"

#include <algorithm>
#include <array>

namespace ekaci::sdk {
namespace {

constexpr std::array kTable = {
    ErrorCodeInfo{ErrorCode::Ok, "ok", "No error: the operation succeeded."},
    ErrorCodeInfo{ErrorCode::Internal, "internal", "A bug in eka-ci; the message says where. Please report it."},
    ErrorCodeInfo{ErrorCode::InvalidArgument, "invalid_argument",
                  "A caller passed a value outside what the operation accepts."},
    ErrorCodeInfo{ErrorCode::NotFound, "not_found", "The named object (build, job, repository, file) does not exist."},
    ErrorCodeInfo{ErrorCode::Cancelled, "cancelled",
                  "The operation was cancelled, usually by shutdown or a newer push."},
    ErrorCodeInfo{ErrorCode::Unsupported, "unsupported", "The operation is not supported by this component."},
    ErrorCodeInfo{ErrorCode::IoError, "io_error",
                  "Reading or writing a file or directory failed; the message names the path and the system error."},
    ErrorCodeInfo{ErrorCode::Timeout, "timeout", "The operation did not finish within its time limit."},
    ErrorCodeInfo{ErrorCode::PermissionDenied, "permission_denied", "The caller is not allowed to do this."},
    ErrorCodeInfo{ErrorCode::AlreadyExists, "already_exists", "An object with this name already exists."},
    ErrorCodeInfo{ErrorCode::StateDirectoryBusy, "state_directory_busy",
                  "Another eka-ci process (the message names it) owns the state directory: a server or an `ekaci "
                  "review --build`. Stop it, wait for it, or use another state_dir."},
    ErrorCodeInfo{ErrorCode::ConfigParse, "config.parse",
                  "The configuration file is not valid TOML; fix the syntax at the given line."},
    ErrorCodeInfo{ErrorCode::ConfigUnknownKey, "config.unknown_key",
                  "A key is not a known setting; check the spelling (a suggestion is given when one is close)."},
    ErrorCodeInfo{ErrorCode::ConfigWrongType, "config.wrong_type",
                  "A setting has the wrong type (for example a string where a number is expected)."},
    ErrorCodeInfo{ErrorCode::ConfigMissingKey, "config.missing_key", "A required setting is missing."},
    ErrorCodeInfo{ErrorCode::ConfigInvalidValue, "config.invalid_value",
                  "A setting has the right type but a value outside its allowed range or choices."},
    ErrorCodeInfo{ErrorCode::ConfigUnknownPluginType, "config.unknown_plugin_type",
                  "A block names a plugin type that does not exist."},
    ErrorCodeInfo{ErrorCode::ConfigUnknownCredentialTag, "config.unknown_credential_tag",
                  "A credentials block names a credential source that does not exist."},
    ErrorCodeInfo{ErrorCode::ConfigFileNotFound, "config.file_not_found",
                  "The configuration file does not exist or cannot be read."},
    ErrorCodeInfo{ErrorCode::ConfigDuplicateId, "config.duplicate_id", "Two blocks of the same kind use the same id."},
    ErrorCodeInfo{ErrorCode::ConfigPluginUnavailable, "config.plugin_unavailable",
                  "The configuration needs a plugin type that no loaded plugin provides."},
    ErrorCodeInfo{ErrorCode::PluginLoadFailed, "plugin.load_failed",
                  "The shared object could not be loaded (missing file, missing dependency, not an ELF library)."},
    ErrorCodeInfo{ErrorCode::PluginMissingEntry, "plugin.missing_entry",
                  "The shared object has no ekaci_plugin_entry symbol: it is not an eka-ci plugin."},
    ErrorCodeInfo{ErrorCode::PluginApiVersionMismatch, "plugin.api_version_mismatch",
                  "The plugin was built for another plugin API version; rebuild it against this server's SDK."},
    ErrorCodeInfo{ErrorCode::PluginAbiMismatch, "plugin.abi_mismatch",
                  "The plugin was built with another compiler, standard library or SDK headers; rebuild it against "
                  "this server's SDK."},
    ErrorCodeInfo{ErrorCode::PluginRegisterFailed, "plugin.register_failed",
                  "The plugin's register function reported an error."},
    ErrorCodeInfo{ErrorCode::PluginDuplicateType, "plugin.duplicate_type",
                  "Two plugins provide the same (kind, type); remove one of them."},
    ErrorCodeInfo{ErrorCode::PluginBadDescriptor, "plugin.bad_descriptor",
                  "The plugin's descriptor is incomplete (null name, version or register function)."},
    ErrorCodeInfo{ErrorCode::PluginCreateFailed, "plugin.create_failed",
                  "A plugin factory could not create an instance from its configuration block."},
    ErrorCodeInfo{ErrorCode::PluginInsecurePath, "plugin.insecure_path",
                  "A plugin file or directory is writable by group or others; plugins run with the server's rights."},
    ErrorCodeInfo{ErrorCode::PluginCallFailed, "plugin.call_failed",
                  "A plugin threw instead of returning an error; the call failed, the server carries on. Report it to "
                  "the plugin's authors."},
    ErrorCodeInfo{ErrorCode::StorageOpen, "storage.open",
                  "The database could not be opened; check db_path and its directory's permissions."},
    ErrorCodeInfo{ErrorCode::StorageMigration, "storage.migration",
                  "A schema migration failed and was rolled back; the database is unchanged."},
    ErrorCodeInfo{ErrorCode::StorageSchemaTooNew, "storage.schema_too_new",
                  "The database was written by a newer eka-ci; run that version or restore a backup."},
    ErrorCodeInfo{ErrorCode::StorageQuery, "storage.query",
                  "A database statement failed; the message names the statement."},
    ErrorCodeInfo{ErrorCode::StorageConstraint, "storage.constraint",
                  "A write violated a database constraint (unknown reference, duplicate key)."},
    ErrorCodeInfo{ErrorCode::SecretNotFound, "secret.not_found",
                  "A credential source does not have the named secret (unset variable, missing key)."},
    ErrorCodeInfo{ErrorCode::SecretFileInsecure, "secret.file_insecure",
                  "A secrets file is readable or writable by group or others; chmod 600 it."},
    ErrorCodeInfo{ErrorCode::SecretFileUnreadable, "secret.file_unreadable",
                  "A secrets file does not exist or cannot be read by the server."},
    ErrorCodeInfo{ErrorCode::SecretParse, "secret.parse", "A secrets file is neither valid JSON nor KEY=value lines."},
    ErrorCodeInfo{ErrorCode::SecretSourceUnavailable, "secret.source_unavailable",
                  "The secret store could not be reached."},
    ErrorCodeInfo{ErrorCode::HttpConnect, "http.connect", "The remote host could not be reached."},
    ErrorCodeInfo{ErrorCode::HttpTimeout, "http.timeout", "The remote host did not answer in time."},
    ErrorCodeInfo{ErrorCode::HttpStatus, "http.status", "The remote host answered with an unexpected HTTP status."},
    ErrorCodeInfo{ErrorCode::HttpBadUrl, "http.bad_url", "A URL is malformed or uses an unsupported scheme."},
    ErrorCodeInfo{ErrorCode::HttpBadRequest, "http.bad_request", "An incoming request is malformed."},
    ErrorCodeInfo{ErrorCode::HttpPayloadTooLarge, "http.payload_too_large",
                  "An incoming request body exceeds the size limit."},
    ErrorCodeInfo{ErrorCode::ProcessSpawn, "process.spawn",
                  "A program could not be started; the message names it and the system error."},
    ErrorCodeInfo{ErrorCode::ProcessTimeout, "process.timeout",
                  "A program ran longer than its time limit and was killed."},
    ErrorCodeInfo{ErrorCode::ProcessNoOutputTimeout, "process.no_output_timeout",
                  "A program printed nothing for longer than its silence limit and was killed."},
    ErrorCodeInfo{ErrorCode::ProcessKilled, "process.killed", "A program was killed by a signal."},
    ErrorCodeInfo{ErrorCode::WebhookSignatureMissing, "webhook.signature_missing",
                  "A webhook delivery carries no signature or token; it was rejected unread."},
    ErrorCodeInfo{ErrorCode::WebhookSignatureInvalid, "webhook.signature_invalid",
                  "A webhook delivery's signature does not match the configured secret; it was rejected unread."},
    ErrorCodeInfo{ErrorCode::WebhookMalformed, "webhook.malformed", "A verified webhook delivery could not be parsed."},
    ErrorCodeInfo{ErrorCode::ForgeApi, "forge.api", "The forge's API answered with an error; the message quotes it."},
    ErrorCodeInfo{ErrorCode::ForgeRateLimited, "forge.rate_limited",
                  "The forge asked to slow down (rate limit); the call is retried when it says."},
    ErrorCodeInfo{ErrorCode::ForgeAuthentication, "forge.authentication",
                  "The forge refused the server's credentials (app key, installation token or access token)."},
    ErrorCodeInfo{ErrorCode::ForgeRepositoryNotAllowed, "forge.repository_not_allowed",
                  "No configured app or instance is allowed to serve this repository (see permissions)."},
    ErrorCodeInfo{ErrorCode::ForgeNotMergeable, "forge.not_mergeable",
                  "The forge refused the merge: the change request cannot be merged now (conflicts, failing required "
                  "checks, branch protection)."},
    ErrorCodeInfo{ErrorCode::ForgeHeadChanged, "forge.head_changed",
                  "The change request's head is no longer the commit that was reviewed; nothing was merged."},
    ErrorCodeInfo{ErrorCode::ForgeMergeMethodNotAllowed, "forge.merge_method_not_allowed",
                  "The repository's settings do not allow the selected merge method; nothing was merged."},
    ErrorCodeInfo{ErrorCode::ProtocolFrameTooLarge, "protocol.frame_too_large",
                  "A client request on the Unix socket exceeds the frame size limit."},
    ErrorCodeInfo{ErrorCode::ProtocolMalformed, "protocol.malformed",
                  "A client request on the Unix socket is not a valid frame of JSON."},
    ErrorCodeInfo{ErrorCode::ProtocolUnknownCommand, "protocol.unknown_command",
                  "A client asked for a command the server does not know."},
    ErrorCodeInfo{ErrorCode::BuildUnsandboxed, "build.unsandboxed",
                  "Nix would run builders without its sandbox or without build users; builds are refused until "
                  "scripts/setup configures both or builders.allow_unsandboxed_builds is set."},
    ErrorCodeInfo{ErrorCode::CachePushFailed, "cache.push_failed",
                  "A binary cache refused or failed a push; the push is retried with backoff, the build stays "
                  "successful."},
    ErrorCodeInfo{ErrorCode::CacheTimeout, "cache.timeout",
                  "A push ran longer than security.max_hook_timeout_seconds and was stopped; it is retried."},
    ErrorCodeInfo{ErrorCode::CacheUnavailable, "cache.unavailable",
                  "A cache cannot be used at all: its program is missing or its destination is refused (a private "
                  "address without allow_private_cache_hosts)."},
    ErrorCodeInfo{ErrorCode::CacheNotAllowed, "cache.not_allowed",
                  "A job names a cache its repository or branch may not push to (the cache's permissions); the push "
                  "is skipped."},
    ErrorCodeInfo{ErrorCode::HookNotAllowed, "hook.not_allowed",
                  "A post-build hook's program is not in security.allowed_hook_commands; the hook is not run."},
    ErrorCodeInfo{ErrorCode::HookFailed, "hook.failed",
                  "A post-build hook exited non-zero or ran past its time limit; the build stays successful and the "
                  "hook's log says why."},
};

constexpr bool sortedByNumber() {
  for (std::size_t i = 1; i < kTable.size(); ++i) {
    if (static_cast<int>(kTable[i - 1].code) >= static_cast<int>(kTable[i].code)) return false;
  }
  return true;
}
static_assert(sortedByNumber(), "error code table must be sorted by number, without duplicates");

}  // namespace

std::span<const ErrorCodeInfo> errorCodeTable() noexcept {
  return kTable;
}

const char* errorCodeName(ErrorCode code) noexcept {
  auto it = std::find_if(kTable.begin(), kTable.end(), [code](const ErrorCodeInfo& info) { return info.code == code; });
  return it == kTable.end() ? "unknown" : it->name;
}

}  // namespace ekaci::sdk
