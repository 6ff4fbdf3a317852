#include "kernel/nix/StorePathInfo.h"
#include "kernel/nix/NixEnvironment.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace ekaci::nix {
namespace {

constexpr std::size_t kBatch = 2000;  // paths per process (argument length)
constexpr const char* kStore = "/nix/store/";

sdk::Error malformed(const std::string& what) {
  return sdk::Error(sdk::ErrorCode::ProtocolMalformed, "unexpected nix path-info output: " + what);
}

std::string excerpt(std::string text) {
  if (text.size() > 2000) text = text.substr(0, 2000) + "...";
  return text;
}

}  // namespace

std::vector<std::string> StorePathInfo::parseInvalid(const std::string& output) {
  std::vector<std::string> out;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind(kStore, 0) == 0) out.push_back(line);
  }
  return out;
}

sdk::Result<std::map<std::string, PathSizes>> StorePathInfo::parse(const std::string& json) {
  Poco::JSON::Array::Ptr list;
  try {
    Poco::JSON::Parser parser;
    auto value = parser.parse(json);
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) return malformed("not a JSON array");
    list = value.extract<Poco::JSON::Array::Ptr>();
  } catch (const Poco::Exception& e) {
    return malformed(e.message().substr(0, 200));
  }
  std::map<std::string, PathSizes> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto entry = list->getObject(static_cast<unsigned>(i));
    if (entry.isNull() || !entry->has("path") || !entry->get("path").isString()) {
      return malformed("entry " + std::to_string(i) + " has no path");
    }
    const std::string path = entry->getValue<std::string>("path");
    if (entry->has("valid") && entry->get("valid").isBoolean() && !entry->getValue<bool>("valid")) continue;
    const auto number = [&](const char* key) -> std::optional<std::int64_t> {
      if (!entry->has(key) || !entry->get(key).isInteger()) return std::nullopt;
      const auto n = entry->getValue<std::int64_t>(key);
      return n < 0 ? std::nullopt : std::optional<std::int64_t>(n);
    };
    auto nar = number("narSize");
    auto closure = number("closureSize");
    if (!nar || !closure) return malformed("no narSize or closureSize for " + path.substr(0, 200));
    out[path] = PathSizes{*nar, *closure};
  }
  return out;
}

sdk::Result<sdk::ProcessResult> StorePathInfo::run(std::vector<std::string> argv,
                                                   const std::vector<std::string>& paths) const {
  sdk::ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.argv.insert(spec.argv.end(), paths.begin(), paths.end());
  spec.environment = NixEnvironment(nix_.passEnvironment).variables();
  spec.timeout = std::chrono::minutes(10);
  auto result = processes_.run(spec);
  if (!result) return result.error();
  if (!result->succeeded()) {
    return sdk::Error(sdk::ErrorCode::ProcessKilled, spec.argv.front() + " failed: " + excerpt(result->stderrText));
  }
  return result;
}

sdk::Result<std::map<std::string, PathSizes>> StorePathInfo::sizes(const std::vector<std::string>& paths) const {
  std::vector<std::string> asked;
  for (const auto& path : std::set<std::string>(paths.begin(), paths.end())) {
    if (path.rfind(kStore, 0) != 0 || path.find('/', std::string(kStore).size()) != std::string::npos) {
      return sdk::Error(sdk::ErrorCode::InvalidArgument, "not a store path: " + path.substr(0, 200));
    }
    asked.push_back(path);
  }
  std::map<std::string, PathSizes> out;
  for (std::size_t start = 0; start < asked.size(); start += kBatch) {
    const std::vector<std::string> batch(
        asked.begin() + static_cast<std::ptrdiff_t>(start),
        asked.begin() + static_cast<std::ptrdiff_t>(std::min(asked.size(), start + kBatch)));
    auto checked = run({nix_.nixStoreProgram, "--check-validity", "--print-invalid"}, batch);
    if (!checked) return checked.error();
    const auto invalid = parseInvalid(checked->stdoutText);
    const std::set<std::string> skip(invalid.begin(), invalid.end());
    std::vector<std::string> valid;
    for (const auto& path : batch) {
      if (skip.count(path) == 0) valid.push_back(path);
    }
    if (valid.empty()) continue;
    std::vector<std::string> argv = {nix_.nixProgram, "--extra-experimental-features", "nix-command"};
    for (const auto& [name, value] : nix_.options) argv.insert(argv.end(), {"--option", name, value});
    argv.insert(argv.end(), {"path-info", "--json", "--closure-size"});
    auto info = run(argv, valid);
    if (!info) return info.error();
    auto parsed = parse(info->stdoutText);
    if (!parsed) return parsed.error();
    out.insert(parsed->begin(), parsed->end());
  }
  return out;
}

}  // namespace ekaci::nix
