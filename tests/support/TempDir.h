#pragma once

#include <filesystem>
#include <string>

namespace ekaci::testsupport {

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `text` to path()/name (creating parent directories) with the given mode.
  std::filesystem::path write(const std::string& name, const std::string& text, unsigned mode = 0600) const;

 private:
  std::filesystem::path path_;
};

}  // namespace ekaci::testsupport
