#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ekaci/sdk/Result.h"

namespace ekaci::nix {

// Build logs on disk: <logs_dir>/<drv-hash>/build.log while a build runs (flushed line by
// line, so it can be read during the build), compressed to build.log.gz when it ends.
// Earlier attempts are kept as build.log.1.gz, build.log.2.gz, ...
// A log is capped (max_log_size_mib, 64 MiB by default, as Hydra's): past the cap its start is
// dropped and the tail kept, behind a line saying how much was dropped; reading a log never
// holds more than twice what it returns in memory.
//
// Threading: a Writer belongs to one build; read() may run concurrently with writers.
class BuildLogStore {
 public:
  class Writer {
   public:
    Writer(std::filesystem::path path, std::ofstream file, std::size_t maxBytes)
        : path_(std::move(path)), file_(std::move(file)), maxBytes_(maxBytes) {}
    void line(std::string_view text);
    // Closes and compresses the log; keeps the plain file when compression fails.
    void finish();
    const std::filesystem::path& path() const noexcept { return path_; }

   private:
    // Keeps the last half of the cap, streamed into a new file behind a truncation note.
    void keepTail();

    std::filesystem::path path_;
    std::ofstream file_;
    std::size_t maxBytes_;
    std::size_t written_ = 0;
    std::size_t dropped_ = 0;
    bool finished_ = false;
  };

  static constexpr std::size_t kDefaultMaxBytes = std::size_t{64} << 20;
  static constexpr std::size_t kDefaultReadBytes = std::size_t{4} << 20;

  explicit BuildLogStore(std::filesystem::path root, std::size_t maxBytes = kDefaultMaxBytes)
      : root_(std::move(root)), maxBytes_(maxBytes) {}

  // The 32-character hash of a derivation path ("/nix/store/<hash>-name.drv"), or nothing.
  static std::optional<std::string> drvHash(std::string_view drvPath);
  static bool validHash(std::string_view hash);

  // Starts the log of a new attempt, rotating what an earlier attempt left.
  sdk::Result<std::unique_ptr<Writer>> open(const std::string& drvPath);
  // The latest log (running or finished), at most `maxBytes` from its end. NotFound when
  // the derivation never logged; InvalidArgument for a malformed hash.
  sdk::Result<std::string> read(const std::string& hash, std::size_t maxBytes = kDefaultReadBytes) const;
  std::filesystem::path directoryFor(const std::string& hash) const { return root_ / hash; }

  // The last `count` non-empty lines of `text`, each cut to `maxLineLength` bytes (never in
  // the middle of a UTF-8 character), without terminal escapes or control characters, tabs
  // as spaces, bytes that are not UTF-8 as '?': what a report quotes from a log.
  static std::string lastLines(const std::string& text, std::size_t count, std::size_t maxLineLength = 300);

 private:
  std::filesystem::path root_;
  std::size_t maxBytes_;
};

}  // namespace ekaci::nix
