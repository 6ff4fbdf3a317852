#include "PrivateFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace ekaci::plugins::credentials {

sdk::Result<sdk::Secret> PrivateFile::read(const std::filesystem::path& path, std::size_t maxBytes) {
  const std::string name = path.string();
  int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return sdk::Error(sdk::ErrorCode::SecretFileUnreadable,
                      "cannot open secrets file " + name + ": " + std::strerror(errno));
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
                                                              "(chmod 600 " +
                                                              name + ")");
  }
  if (static_cast<std::size_t>(st.st_size) > maxBytes) {
    ::close(fd);
    return sdk::Error(sdk::ErrorCode::SecretParse,
                      "secrets file " + name + " is larger than " + std::to_string(maxBytes) + " bytes");
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
  sdk::Secret secret(text);
  volatile char* p = text.data();  // wipe the plain copy before it is freed
  for (std::size_t i = 0; i < text.size(); ++i) p[i] = 0;
  return secret;
}

}  // namespace ekaci::plugins::credentials
