#include "AtticCache.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <fstream>

#include "cachekit/CacheCredentials.h"
#include "cachekit/NarinfoProbe.h"
#include "cachekit/PresentPaths.h"
#include "cachekit/PushProcess.h"

namespace ekaci::plugins::caches {
namespace {

// A TOML basic string: the token and endpoint are quoted, never interpreted.
std::string tomlString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::atomic<unsigned> pushSequence{0};

}  // namespace

sdk::Result<std::filesystem::path> AtticCache::writeConfiguration(const sdk::Secret& token) const {
  const auto home =
      host_.stateDirectory() / ("push-" + std::to_string(::getpid()) + "-" + std::to_string(++pushSequence));
  std::error_code ec;
  std::filesystem::create_directories(home / "attic", ec);
  if (ec) return sdk::Error(sdk::ErrorCode::IoError, "cannot create " + home.string() + ": " + ec.message());
  std::filesystem::permissions(home, std::filesystem::perms::owner_all, ec);
  const auto file = home / "attic" / "config.toml";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return sdk::Error(sdk::ErrorCode::IoError, "cannot write " + file.string());
  const std::string text =
      "default-server = \"ekaci\"\n\n[servers.ekaci]\nendpoint = " + tomlString(settings_.endpoint) +
      "\ntoken = " + tomlString(token.reveal()) + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!written) return sdk::Error(sdk::ErrorCode::IoError, "cannot write " + file.string());
  return home;
}

sdk::Result<sdk::CachePushResult> AtticCache::push(const sdk::CachePushRequest& request) {
  sdk::CachePushResult result;
  if (request.storePaths.empty()) return result;
  auto credentials = CacheCredentials::fetch(host_, settings_.credentials);
  if (!credentials) return std::move(credentials).error();
  const sdk::Secret* token = credentials->find("ATTIC_TOKEN");
  if (token == nullptr) {
    return sdk::Error(sdk::ErrorCode::SecretNotFound,
                      "attic " + settings_.destination + ": the credentials give no ATTIC_TOKEN");
  }
  auto present = NarinfoProbe::contains(host_.http(), settings_.destination, request.storePaths, token);
  if (!present) return std::move(present).error();
  const auto missing = PresentPaths::missing(request.storePaths, *present, result);
  if (missing.empty()) return result;
  std::vector<std::string> argv = {settings_.atticProgram, "push", "ekaci:" + settings_.cacheName};
  argv.insert(argv.end(), missing.begin(), missing.end());
  auto home = writeConfiguration(*token);
  if (!home) return std::move(home).error();
  sdk::Credentials none;
  auto ran =
      PushProcess::run(host_.processes(), argv, PushProcess::environment(none, {{"XDG_CONFIG_HOME", home->string()}}),
                       request.timeout, *credentials, "attic push " + settings_.destination);
  std::error_code ec;
  std::filesystem::remove_all(*home, ec);
  if (!ran) return std::move(ran).error();
  result.pushed = missing.size();
  return result;
}

sdk::Result<std::vector<bool>> AtticCache::contains(const std::vector<std::string>& storePaths) {
  auto credentials = CacheCredentials::fetch(host_, settings_.credentials);
  if (!credentials) return std::move(credentials).error();
  return NarinfoProbe::contains(host_.http(), settings_.destination, storePaths, credentials->find("ATTIC_TOKEN"));
}

}  // namespace ekaci::plugins::caches
