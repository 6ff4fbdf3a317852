#include "kernel/publish/HookContext.h"

#include <cctype>

namespace ekaci::publish {

std::vector<std::pair<std::string, std::string>> HookContext::variables() const {
  std::string outPaths;
  for (const auto& out : outputs) outPaths += (outPaths.empty() ? "" : " ") + out;
  return {{"DRV_PATH", drvPath},
          {"OUT_PATHS", outPaths},
          {"EKA_JOB_NAME", jobName},
          {"EKA_IS_FOD", fixedOutput ? "true" : "false"},
          {"EKA_SYSTEM", system},
          {"EKA_PNAME", pname},
          {"EKA_BUILD_LOG_PATH", buildLogPath.string()},
          {"EKA_COMMIT_SHA", commitSha}};
}

std::string HookContext::pnameOf(const std::string& drvPath) {
  std::string name = drvPath.substr(drvPath.rfind('/') == std::string::npos ? 0 : drvPath.rfind('/') + 1);
  if (name.size() > 33 && name[32] == '-') name = name.substr(33);
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".drv") == 0) name.resize(name.size() - 4);
  for (std::size_t i = 0; i + 1 < name.size(); ++i) {
    if (name[i] == '-' && std::isalpha(static_cast<unsigned char>(name[i + 1])) == 0) return name.substr(0, i);
  }
  return name;
}

}  // namespace ekaci::publish
