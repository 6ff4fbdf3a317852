#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace ekaci::publish {

// The build a post-build hook runs for, as the manual's variables describe it.
struct HookContext {
  std::int64_t drvId = 0;
  std::string drvPath;
  std::vector<std::string> outputs;
  std::string jobName;
  std::string repository;
  bool fixedOutput = false;
  std::string system;
  std::string pname;
  std::filesystem::path buildLogPath;
  std::string commitSha;

  // DRV_PATH, OUT_PATHS (space-separated), EKA_JOB_NAME, EKA_IS_FOD, EKA_SYSTEM, EKA_PNAME,
  // EKA_BUILD_LOG_PATH, EKA_COMMIT_SHA.
  std::vector<std::pair<std::string, std::string>> variables() const;
  // Nix's parseDrvName: the name of "/nix/store/<hash>-hello-2.12.1.drv" up to the first
  // '-' followed by a non-letter ("hello").
  static std::string pnameOf(const std::string& drvPath);
};

}  // namespace ekaci::publish
