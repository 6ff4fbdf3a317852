#include "AwsProfileSource.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "credkit/PrivateFile.h"

namespace ekaci::plugins::credentials {
namespace {

std::string trimmed(const std::string& text) {
  std::size_t a = 0, b = text.size();
  while (a < b && std::isspace(static_cast<unsigned char>(text[a])) != 0) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(text[b - 1])) != 0) --b;
  return text.substr(a, b - a);
}

std::filesystem::path awsFile(const char* variable, const char* name) {
  if (const char* set = std::getenv(variable); set != nullptr && *set != '\0') return set;
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home != nullptr ? home : "/") / ".aws" / name;
}

}  // namespace

std::map<std::string, std::string> AwsProfileSource::section(const std::string& text, const std::string& wanted) {
  std::map<std::string, std::string> out;
  std::istringstream lines(text);
  std::string line;
  bool inside = false;
  while (std::getline(lines, line)) {
    const std::string t = trimmed(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[' && t.back() == ']') {
      inside = trimmed(t.substr(1, t.size() - 2)) == wanted;
      continue;
    }
    if (!inside) continue;
    const auto eq = t.find('=');
    if (eq == std::string::npos) continue;
    std::string key = trimmed(t.substr(0, eq));
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out[key] = trimmed(t.substr(eq + 1));
  }
  return out;
}

sdk::Result<sdk::Credentials> AwsProfileSource::fetch() {
  const auto file = awsFile("AWS_SHARED_CREDENTIALS_FILE", "credentials");
  auto text = PrivateFile::read(file);
  if (!text) return std::move(text).error();
  auto keys = section(std::string(text->reveal()), profile_);
  if (keys.empty()) {
    return sdk::Error(sdk::ErrorCode::SecretNotFound, "AWS profile " + profile_ + " is not in " + file.string());
  }
  auto id = keys.find("aws_access_key_id"), secret = keys.find("aws_secret_access_key");
  if (id == keys.end() || secret == keys.end() || id->second.empty() || secret->second.empty()) {
    return sdk::Error(sdk::ErrorCode::SecretNotFound, "AWS profile " + profile_ + " in " + file.string() +
                                                          " lacks aws_access_key_id or aws_secret_access_key");
  }
  sdk::Credentials out;
  out.set("AWS_ACCESS_KEY_ID", sdk::Secret(id->second));
  out.set("AWS_SECRET_ACCESS_KEY", sdk::Secret(secret->second));
  if (auto token = keys.find("aws_session_token"); token != keys.end() && !token->second.empty()) {
    out.set("AWS_SESSION_TOKEN", sdk::Secret(token->second));
  }
  std::string region = keys.count("region") != 0 ? keys["region"] : "";
  if (region.empty()) {
    std::ifstream config(awsFile("AWS_CONFIG_FILE", "config"));
    std::stringstream all;
    all << config.rdbuf();
    auto settings = section(all.str(), profile_ == "default" ? "default" : "profile " + profile_);
    region = settings.count("region") != 0 ? settings["region"] : "";
  }
  if (!region.empty()) out.set("AWS_REGION", sdk::Secret(region));
  return out;
}

}  // namespace ekaci::plugins::credentials
