#include "kernel/nix/DerivationParser.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ekaci::nix {
namespace {

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  bool atEnd() const { return pos_ >= text_.size(); }

  void fail(const std::string& what) {
    if (error_.empty()) error_ = what + " at byte " + std::to_string(pos_);
  }

  bool expect(std::string_view literal) {
    if (failed()) return false;
    if (text_.substr(pos_, literal.size()) != literal) {
      fail("expected '" + std::string(literal) + "'");
      return false;
    }
    pos_ += literal.size();
    return true;
  }

  bool peek(char c) const { return !failed() && pos_ < text_.size() && text_[pos_] == c; }

  std::string string() {
    std::string out;
    if (!expect("\"")) return out;
    while (pos_ < text_.size()) {
      // The plain run up to the next quote or escape, in one append.
      const std::size_t stop = text_.find_first_of("\"\\", pos_);
      if (stop == std::string_view::npos) break;
      out.append(text_.substr(pos_, stop - pos_));
      pos_ = stop;
      char c = text_[pos_++];
      if (c == '"') return out;
      if (c == '\\') {
        if (pos_ >= text_.size()) break;
        char e = text_[pos_++];
        switch (e) {
          case 'n':
            out.push_back('\n');
            break;
          case 'r':
            out.push_back('\r');
            break;
          case 't':
            out.push_back('\t');
            break;
          default:
            out.push_back(e);  // \" and \\ (and anything else, literally)
        }
        continue;
      }
    }
    pos_ = text_.size();
    fail("unterminated string");
    return out;
  }

  // [item, item, ...] where each item is parsed by `item`.
  template <typename Item>
  void list(Item item) {
    if (!expect("[")) return;
    if (peek(']')) {
      ++pos_;
      return;
    }
    while (!failed()) {
      item();
      if (peek(',')) {
        ++pos_;
        continue;
      }
      expect("]");
      return;
    }
  }

  std::vector<std::string> stringList() {
    std::vector<std::string> out;
    list([&] { out.push_back(string()); });
    return out;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::string error_;
};

}  // namespace

sdk::Result<Derivation> DerivationParser::parse(std::string_view text) {
  Cursor in(text);
  Derivation drv;
  in.expect("Derive(");
  in.list([&] {
    DerivationOutput output;
    in.expect("(");
    output.name = in.string();
    in.expect(",");
    output.path = in.string();
    in.expect(",");
    output.hashAlgo = in.string();
    in.expect(",");
    output.hash = in.string();
    in.expect(")");
    drv.outputs.push_back(std::move(output));
  });
  in.expect(",");
  in.list([&] {
    in.expect("(");
    std::string path = in.string();
    in.expect(",");
    std::vector<std::string> outputs = in.stringList();
    in.expect(")");
    drv.inputDrvs.emplace_back(std::move(path), std::move(outputs));
  });
  in.expect(",");
  drv.inputSrcs = in.stringList();
  in.expect(",");
  drv.platform = in.string();
  in.expect(",");
  drv.builder = in.string();
  in.expect(",");
  drv.args = in.stringList();
  in.expect(",");
  in.list([&] {
    in.expect("(");
    std::string key = in.string();
    in.expect(",");
    std::string value = in.string();
    in.expect(")");
    drv.env.emplace_back(std::move(key), std::move(value));
  });
  in.expect(")");
  if (!in.failed() && !in.atEnd()) in.fail("trailing data after the derivation");
  if (in.failed()) return sdk::Error(sdk::ErrorCode::InvalidArgument, "malformed derivation: " + in.error());
  if (drv.outputs.empty()) return sdk::Error(sdk::ErrorCode::InvalidArgument, "malformed derivation: no outputs");
  return drv;
}

sdk::Result<Derivation> DerivationParser::parseFile(const std::filesystem::path& path) {
  // One open, one fstat, one read: no stream, no second lookup of the path.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return sdk::Error(sdk::ErrorCode::NotFound, "cannot read " + path.string() + ": " + std::strerror(errno));
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return sdk::Error(sdk::ErrorCode::NotFound, "cannot read " + path.string() + ": not a regular file");
  }
  const auto size = static_cast<std::uintmax_t>(info.st_size);
  if (size > kMaxFileBytes) {
    ::close(fd);
    return sdk::Error(sdk::ErrorCode::InvalidArgument,
                      path.string() + " is " + std::to_string(size) + " bytes, over the 64 MiB limit for a derivation");
  }
  std::string text(size, '\0');
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got = ::read(fd, text.data() + done, size - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  ::close(fd);
  if (done != size) return sdk::Error(sdk::ErrorCode::IoError, "cannot read " + path.string());
  auto parsed = parse(text);
  if (!parsed) return sdk::Error(parsed.error().code(), path.string() + ": " + parsed.error().message());
  return parsed;
}

}  // namespace ekaci::nix
