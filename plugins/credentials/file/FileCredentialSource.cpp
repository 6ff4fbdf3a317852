#include "FileCredentialSource.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "SecretsFileParser.h"

namespace ekaci::plugins::credentials {

sdk::Result<sdk::Credentials> FileCredentialSource::fetch() {
  const std::string name = path_.string();
  int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return sdk::Error(sdk::ErrorCode::SecretFileUnreadable, "cannot open secrets file " + name + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return sdk::Error(sdk::ErrorCode::SecretFileUnreadable, "secrets file " + name + " is not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    ::close(fd);
    char mode[8];
    (void)std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return sdk::Error(sdk::ErrorCode::SecretFileInsecure, "secrets file " + name + " has mode " + mode +
                                                              "; it must not be accessible by group or others "
                                                              "(chmod 600 " + name + ")");
  }
  if (static_cast<std::size_t>(st.st_size) > kMaxBytes) {
    ::close(fd);
    return sdk::Error(sdk::ErrorCode::SecretParse, "secrets file " + name + " is larger than 1 MiB");
  }
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    ssize_t r = ::read(fd, text.data() + got, text.size() - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += static_cast<std::size_t>(r);
  }
  ::close(fd);
  text.resize(got);
  auto parsed = SecretsFileParser::parse(text);
  // Wipe the plain text before it is freed.
  volatile char* p = text.data();
  for (std::size_t i = 0; i < text.size(); ++i) p[i] = 0;
  if (!parsed) return sdk::Error(parsed.error().code(), parsed.error().message() + " (" + name + ")");
  return parsed;
}

}  // namespace ekaci::plugins::credentials
