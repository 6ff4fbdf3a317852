#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace ekaci::testsupport {

// The real eka-ci-server binary, started as a child process with a given configuration and
// environment; ready once it wrote its --listen-info file.
class ServerProcess {
 public:
  struct Options {
    std::filesystem::path binary;
    std::vector<std::string> arguments;  // besides --listen-info
    std::map<std::string, std::string> environment;
    std::filesystem::path workDir;  // listen-info, stdout and stderr go here
  };

  explicit ServerProcess(Options options);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts and waits until ready or the process exits; false if it did not become ready.
  bool start(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Sends a signal and waits for the exit status (-1 on timeout).
  int stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Waits for the process to exit by itself; returns its exit status or -1 on timeout.
  int wait(std::chrono::milliseconds timeout);

  std::uint16_t httpPort() const { return httpPort_; }
  const std::string& socketPath() const { return socketPath_; }
  std::string stderrText() const;
  pid_t pid() const { return pid_; }

 private:
  Options options_;
  pid_t pid_ = -1;
  int exitStatus_ = -1;
  std::uint16_t httpPort_ = 0;
  std::string socketPath_;
};

// The environment the binaries get in tests: HOME and the XDG directories under `dir`, and a
// PATH with the system's tools only.
std::map<std::string, std::string> isolatedEnvironment(const std::filesystem::path& dir);

// Runs a command to completion, capturing stdout and stderr; returns the exit status.
struct CommandResult {
  int status = -1;
  std::string out;
  std::string err;
};
CommandResult runCommand(const std::vector<std::string>& argv, const std::map<std::string, std::string>& environment,
                         std::chrono::milliseconds timeout = std::chrono::seconds(60));

// A plain HTTP/1.1 request to 127.0.0.1.
struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
};
HttpResult httpRequest(std::uint16_t port, const std::string& method, const std::string& path,
                       const std::string& body = "", const std::map<std::string, std::string>& headers = {});

}  // namespace ekaci::testsupport
