#include "kernel/nix/BuildLogStore.h"

#include <Poco/DeflatingStream.h>
#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>

#include <algorithm>
#include <sstream>
#include <vector>

namespace ekaci::nix {
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

// The length of the well-formed UTF-8 sequence at text[i] (before `end`), or 1.
std::size_t utf8Length(const std::string& text, std::size_t i, std::size_t end) {
  const auto c = static_cast<unsigned char>(text[i]);
  const std::size_t length = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 1;
  if (length == 1 || c >= 0xf5 || i + length > end) return 1;
  for (std::size_t k = 1; k < length; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 1;
  }
  return length;
}

// Where the terminal escape sequence starting at text[i] (ESC) ends: CSI (ESC [ parameters
// final), OSC (ESC ] ... BEL or ESC \\), or ESC, intermediates and one final byte.
std::size_t afterEscape(const std::string& text, std::size_t i, std::size_t end) {
  ++i;
  if (i >= end) return end;
  if (text[i] == '[') {
    for (++i; i < end && !(text[i] >= 0x40 && text[i] <= 0x7e); ++i) {
    }
    return std::min(end, i + 1);
  }
  if (text[i] == ']') {
    for (++i; i < end; ++i) {
      if (text[i] == '\a') return i + 1;
      if (text[i] == 0x1b && i + 1 < end && text[i + 1] == '\\') return i + 2;
    }
    return end;
  }
  while (i < end && text[i] >= 0x20 && text[i] <= 0x2f) ++i;
  return std::min(end, i + 1);
}

}  // namespace

void BuildLogStore::Writer::line(std::string_view text) {
  if (finished_) return;
  file_ << text << '\n';
  file_.flush();
  written_ += text.size() + 1;
  if (written_ > maxBytes_) keepTail();
}

void BuildLogStore::Writer::keepTail() {
  file_.close();
  std::error_code ec;
  const auto size = static_cast<std::size_t>(std::filesystem::file_size(path_, ec));
  const std::size_t keep = maxBytes_ / 2;
  const std::size_t from = size > keep ? size - keep : 0;
  dropped_ += from;
  std::filesystem::path next = path_;
  next += ".tail";
  {
    std::ifstream in(path_, std::ios::binary);
    std::ofstream out(next, std::ios::binary | std::ios::trunc);
    // An earlier note lies in the dropped part: this one carries the new total.
    out << "eka-ci: the log exceeded " << (maxBytes_ >> 20) << " MiB (max_log_size_mib); " << dropped_
        << " earlier bytes were dropped, the latest follow\n";
    in.seekg(static_cast<std::streamoff>(from));
    std::vector<char> chunk(std::size_t{1} << 20);
    while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
      out.write(chunk.data(), in.gcount());
    }
  }
  std::filesystem::rename(next, path_, ec);
  file_.open(path_, std::ios::binary | std::ios::app);
  written_ = std::min(size, keep);
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
  return std::make_unique<Writer>(plain, std::move(file), maxBytes_);
}

sdk::Result<std::string> BuildLogStore::read(const std::string& hash, std::size_t maxBytes) const {
  if (!validHash(hash)) return sdk::Error(sdk::ErrorCode::InvalidArgument, "not a derivation hash: " + hash);
  const auto dir = directoryFor(hash);
  std::error_code ec;
  if (std::ifstream plain(dir / "build.log", std::ios::binary); plain) {
    plain.seekg(0, std::ios::end);
    const auto size = static_cast<std::size_t>(plain.tellg());
    const std::size_t from = size > maxBytes ? size - maxBytes : 0;
    plain.seekg(static_cast<std::streamoff>(from));
    std::string text(size - from, '\0');
    plain.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(plain.gcount()));
    return from == 0 ? text : "[... " + std::to_string(from) + " earlier bytes omitted ...]\n" + text;
  }
  std::ifstream gz(dir / "build.log.gz", std::ios::binary);
  if (!gz) return sdk::Error(sdk::ErrorCode::NotFound, "no build log for " + hash);
  try {
    // Streamed: at most twice maxBytes in memory, whatever the log's size.
    Poco::InflatingInputStream inflate(gz, Poco::InflatingStreamBuf::STREAM_GZIP);
    std::string text;
    std::size_t omitted = 0;
    std::vector<char> chunk(std::size_t{64} << 10);
    while (inflate.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || inflate.gcount() > 0) {
      text.append(chunk.data(), static_cast<std::size_t>(inflate.gcount()));
      if (text.size() > 2 * maxBytes) {
        omitted += text.size() - maxBytes;
        text.erase(0, text.size() - maxBytes);
      }
    }
    if (text.size() > maxBytes) {
      omitted += text.size() - maxBytes;
      text.erase(0, text.size() - maxBytes);
    }
    return omitted == 0 ? text : "[... " + std::to_string(omitted) + " earlier bytes omitted ...]\n" + text;
  } catch (const Poco::Exception& e) {
    return sdk::Error(sdk::ErrorCode::IoError, "cannot decompress the build log of " + hash + ": " + e.displayText());
  }
}

std::string BuildLogStore::lastLines(const std::string& text, std::size_t count, std::size_t maxLineLength) {
  std::vector<std::string> lines;
  std::size_t end = text.size();
  while (end > 0 && lines.size() < count) {
    const std::size_t newline = text.rfind('\n', end - 1);
    const std::size_t start = newline == std::string::npos ? 0 : newline + 1;
    std::string line;
    for (std::size_t i = start; i < end && line.size() < maxLineLength;) {
      const auto c = static_cast<unsigned char>(text[i]);
      const std::size_t length = utf8Length(text, i, end);
      if (length > 1) {
        if (line.size() + length > maxLineLength) break;  // never half a character
        line.append(text, i, length);
        i += length;
        continue;
      }
      if (c == 0x1b) {
        i = afterEscape(text, i, end);
        continue;
      }
      if (c == '\t') {
        line.push_back(' ');
      } else if (c >= 0x80) {
        line.push_back('?');  // not UTF-8
      } else if (c >= 0x20 && c != 0x7f) {
        line.push_back(static_cast<char>(c));
      }
      ++i;
    }
    if (line.find_first_not_of(' ') != std::string::npos) lines.push_back(std::move(line));
    if (newline == std::string::npos) break;
    end = newline;
  }
  std::string out;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) out += *it + "\n";
  return out;
}

}  // namespace ekaci::nix
