#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ekaci/sdk/Result.h"

namespace ekaci::scheduler {

// Build logs on disk: <logs_dir>/<drv-hash>/build.log while a build runs (flushed line by
// line, so it can be read during the build), compressed to build.log.gz when it ends.
// Earlier attempts are kept as build.log.1.gz, build.log.2.gz, ...
//
// Threading: a Writer belongs to one build; read() may run concurrently with writers.
class BuildLogStore {
 public:
  class Writer {
   public:
    Writer(std::filesystem::path path, std::ofstream file) : path_(std::move(path)), file_(std::move(file)) {}
    void line(std::string_view text);
    // Closes and compresses the log; keeps the plain file when compression fails.
    void finish();
    const std::filesystem::path& path() const noexcept { return path_; }

   private:
    std::filesystem::path path_;
    std::ofstream file_;
    bool finished_ = false;
  };

  explicit BuildLogStore(std::filesystem::path root) : root_(std::move(root)) {}

  // The 32-character hash of a derivation path ("/nix/store/<hash>-name.drv"), or nothing.
  static std::optional<std::string> drvHash(std::string_view drvPath);
  static bool validHash(std::string_view hash);

  // Starts the log of a new attempt, rotating what an earlier attempt left.
  sdk::Result<std::unique_ptr<Writer>> open(const std::string& drvPath);
  // The latest log (running or finished), at most `maxBytes` from its end. NotFound when
  // the derivation never logged; InvalidArgument for a malformed hash.
  sdk::Result<std::string> read(const std::string& hash, std::size_t maxBytes = 16u << 20) const;
  std::filesystem::path directoryFor(const std::string& hash) const { return root_ / hash; }

  // The last `count` non-empty lines of `text`, each cut to `maxLineLength` bytes (never in
  // the middle of a UTF-8 character), without terminal escapes or control characters, tabs
  // as spaces, bytes that are not UTF-8 as '?': what a report quotes from a log.
  static std::string lastLines(const std::string& text, std::size_t count, std::size_t maxLineLength = 300);

 private:
  std::filesystem::path root_;
};

}  // namespace ekaci::scheduler
