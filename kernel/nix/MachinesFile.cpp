#include "kernel/nix/MachinesFile.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace ekaci::nix {
namespace {

std::vector<std::string> splitList(const std::string& field) {
  std::vector<std::string> out;
  if (field == "-" || field.empty()) return out;
  std::size_t start = 0;
  while (start <= field.size()) {
    auto comma = field.find(',', start);
    if (comma == std::string::npos) comma = field.size();
    if (comma > start) out.push_back(field.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

bool parseNumber(const std::string& field, long long minimum, long long& out) {
  const char* end = field.data() + field.size();
  auto [ptr, ec] = std::from_chars(field.data(), end, out);
  return ec == std::errc() && ptr == end && out >= minimum;
}

}  // namespace

sdk::Result<std::vector<BuilderSpec>> MachinesFile::parse(const std::string& text, const std::string& origin) {
  std::vector<BuilderSpec> out;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    std::vector<std::string> fields;
    for (std::string word; words >> word;) fields.push_back(word);
    if (fields.empty()) continue;
    auto fail = [&](const std::string& why) {
      return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, origin + ":" + std::to_string(number) + ": " + why);
    };
    if (fields.size() > 8)
      return fail("a machine line has at most 8 fields, this one has " + std::to_string(fields.size()));
    fields.resize(8, "-");
    BuilderSpec spec;
    spec.kind = BuilderKind::Remote;
    spec.uri = fields[0];
    spec.name = spec.uri;
    if (spec.uri.find("://") == std::string::npos && spec.uri.find('?') == std::string::npos) {
      spec.uri = "ssh://" + spec.uri;  // Nix's own default for a bare host name
      spec.name = spec.uri;
    }
    spec.systems = splitList(fields[1]);
    if (spec.systems.empty()) return fail("builder " + spec.uri + " lists no systems");
    spec.sshKey = fields[2] == "-" ? "" : fields[2];
    long long jobs = 1, speed = 1;
    if (fields[3] != "-" && !parseNumber(fields[3], 1, jobs)) {
      return fail("max jobs must be a positive integer, not '" + fields[3] + "'");
    }
    if (fields[4] != "-" && !parseNumber(fields[4], 1, speed)) {
      return fail("speed factor must be a positive integer, not '" + fields[4] + "'");
    }
    spec.maxJobs = static_cast<std::size_t>(jobs);
    spec.speedFactor = static_cast<int>(std::min<long long>(speed, 1'000'000));
    spec.supportedFeatures = splitList(fields[5]);
    spec.mandatoryFeatures = splitList(fields[6]);
    spec.publicHostKey = fields[7] == "-" ? "" : fields[7];
    out.push_back(std::move(spec));
  }
  return out;
}

sdk::Result<std::vector<BuilderSpec>> MachinesFile::read(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return sdk::Error(sdk::ErrorCode::ConfigFileNotFound, "cannot read machines file " + path.string());
  std::ostringstream text;
  text << file.rdbuf();
  return parse(text.str(), path.string());
}

}  // namespace ekaci::nix
