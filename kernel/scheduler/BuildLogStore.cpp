#include "kernel/scheduler/BuildLogStore.h"

#include <Poco/DeflatingStream.h>
#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>

#include <sstream>

namespace ekaci::scheduler {
namespace {

constexpr std::string_view kStorePrefix = "/nix/store/";

bool compressFile(const std::filesystem::path& from, const std::filesystem::path& to) {
  try {
    std::ifstream in(from, std::ios::binary);
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    if (!in || !out) return false;
    Poco::DeflatingOutputStream gzip(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
    gzip << in.rdbuf();
    gzip.close();
    out.close();
    return static_cast<bool>(out);
  } catch (const Poco::Exception&) {
    return false;
  }
}

std::string tail(std::string text, std::size_t maxBytes) {
  if (text.size() <= maxBytes) return text;
  return "[... " + std::to_string(text.size() - maxBytes) + " earlier bytes omitted ...]\n" +
         text.substr(text.size() - maxBytes);
}

}  // namespace

void BuildLogStore::Writer::line(std::string_view text) {
  if (finished_) return;
  file_ << text << '\n';
  file_.flush();
}

void BuildLogStore::Writer::finish() {
  if (finished_) return;
  finished_ = true;
  file_.close();
  std::filesystem::path gz = path_;
  gz += ".gz";
  if (compressFile(path_, gz)) {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  } else {
    std::error_code ec;
    std::filesystem::remove(gz, ec);
  }
}

std::optional<std::string> BuildLogStore::drvHash(std::string_view drvPath) {
  if (drvPath.substr(0, kStorePrefix.size()) == kStorePrefix) drvPath.remove_prefix(kStorePrefix.size());
  if (drvPath.size() < 33 || drvPath[32] != '-') return std::nullopt;
  std::string hash(drvPath.substr(0, 32));
  if (!validHash(hash)) return std::nullopt;
  return hash;
}

bool BuildLogStore::validHash(std::string_view hash) {
  if (hash.size() != 32) return false;
  for (char c : hash) {
    // Nix's base-32 alphabet: digits and lower-case letters without e, o, u, t.
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z' && c != 'e' && c != 'o' && c != 'u' && c != 't');
    if (!ok) return false;
  }
  return true;
}

sdk::Result<std::unique_ptr<BuildLogStore::Writer>> BuildLogStore::open(const std::string& drvPath) {
  auto hash = drvHash(drvPath);
  if (!hash) return sdk::Error(sdk::ErrorCode::InvalidArgument, "not a derivation path: " + drvPath);
  const auto dir = directoryFor(*hash);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return sdk::Error(sdk::ErrorCode::IoError, "cannot create " + dir.string() + ": " + ec.message());
  const auto plain = dir / "build.log";
  const auto gz = dir / "build.log.gz";
  // A plain log left behind belongs to an attempt the server did not see end.
  if (std::filesystem::exists(plain, ec)) compressFile(plain, gz);
  if (std::filesystem::exists(gz, ec)) {
    int n = 1;
    while (std::filesystem::exists(dir / ("build.log." + std::to_string(n) + ".gz"), ec)) ++n;
    std::filesystem::rename(gz, dir / ("build.log." + std::to_string(n) + ".gz"), ec);
  }
  std::ofstream file(plain, std::ios::binary | std::ios::trunc);
  if (!file) return sdk::Error(sdk::ErrorCode::IoError, "cannot write " + plain.string());
  return std::make_unique<Writer>(plain, std::move(file));
}

sdk::Result<std::string> BuildLogStore::read(const std::string& hash, std::size_t maxBytes) const {
  if (!validHash(hash)) return sdk::Error(sdk::ErrorCode::InvalidArgument, "not a derivation hash: " + hash);
  const auto dir = directoryFor(hash);
  std::error_code ec;
  if (std::ifstream plain(dir / "build.log", std::ios::binary); plain) {
    std::ostringstream text;
    text << plain.rdbuf();
    return tail(text.str(), maxBytes);
  }
  std::ifstream gz(dir / "build.log.gz", std::ios::binary);
  if (!gz) return sdk::Error(sdk::ErrorCode::NotFound, "no build log for " + hash);
  try {
    Poco::InflatingInputStream inflate(gz, Poco::InflatingStreamBuf::STREAM_GZIP);
    std::ostringstream text;
    text << inflate.rdbuf();
    return tail(text.str(), maxBytes);
  } catch (const Poco::Exception& e) {
    return sdk::Error(sdk::ErrorCode::IoError, "cannot decompress the build log of " + hash + ": " + e.displayText());
  }
}

}  // namespace ekaci::scheduler
