#include "tests/support/ServerProcess.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "ekaci/sdk/ProcessRunner.h"
#include "kernel/services/PosixProcessRunner.h"

namespace ekaci::testsupport {
namespace {

// Children of a sanitizer build must see the same sanitizer options as the test itself.
std::map<std::string, std::string> withSanitizerOptions(std::map<std::string, std::string> environment) {
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* value = std::getenv(name)) environment.emplace(name, value);
  }
  return environment;
}

std::vector<char*> cstrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}
}  // namespace

ServerProcess::ServerProcess(Options options) : options_(std::move(options)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0 && exitStatus_ < 0) stop(SIGKILL, std::chrono::seconds(5));
}

bool ServerProcess::start(std::chrono::milliseconds timeout) {
  const auto info = options_.workDir / "listen-info";
  std::filesystem::remove(info);
  std::vector<std::string> argv{options_.binary.string()};
  argv.insert(argv.end(), options_.arguments.begin(), options_.arguments.end());
  argv.push_back("--listen-info");
  argv.push_back(info.string());
  std::vector<std::string> env;
  for (const auto& [k, v] : withSanitizerOptions(options_.environment)) env.push_back(k + "=" + v);
  const std::string out = (options_.workDir / "server.stdout").string();
  const std::string err = (options_.workDir / "server.stderr").string();
  pid_ = ::fork();
  if (pid_ == 0) {
    FILE* o = std::freopen(out.c_str(), "w", stdout);
    FILE* e = std::freopen(err.c_str(), "w", stderr);
    (void)o;
    (void)e;
    auto a = cstrings(argv);
    auto en = cstrings(env);
    ::execve(a[0], a.data(), en.data());
    std::_Exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exitStatus_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return false;
    }
    std::ifstream in(info);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("http=", 0) == 0)
        httpPort_ = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
      if (line.rfind("socket=", 0) == 0) socketPath_ = line.substr(7);
    }
    if (httpPort_ != 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

int ServerProcess::wait(std::chrono::milliseconds timeout) {
  if (exitStatus_ >= 0) return exitStatus_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exitStatus_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exitStatus_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

int ServerProcess::stop(int signal, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  if (exitStatus_ >= 0) return exitStatus_;
  ::kill(pid_, signal);
  int status = wait(timeout);
  if (status < 0) {
    ::kill(pid_, SIGKILL);
    status = wait(std::chrono::seconds(5));
  }
  return status;
}

std::string ServerProcess::stderrText() const {
  std::ifstream in(options_.workDir / "server.stderr");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

CommandResult runCommand(const std::vector<std::string>& argv, const std::map<std::string, std::string>& environment,
                         std::chrono::milliseconds timeout) {
  services::PosixProcessRunner runner;
  sdk::ProcessSpec spec;
  spec.argv = argv;
  const auto full = withSanitizerOptions(environment);
  spec.environment.assign(full.begin(), full.end());
  spec.timeout = timeout;
  auto result = runner.run(spec);
  CommandResult out;
  if (!result) {
    out.err = result.error().describe();
    return out;
  }
  out.status = result->end == sdk::ProcessEnd::Exited ? result->exitCode : -1;
  out.out = result->stdoutText;
  out.err = result->stderrText;
  return out;
}

HttpResult httpRequest(std::uint16_t port, const std::string& method, const std::string& path, const std::string& body,
                       const std::map<std::string, std::string>& headers) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : headers) request.set(name, value);
  request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpResult result;
  result.status = static_cast<int>(response.getStatus());
  Poco::StreamCopier::copyToString(in, result.body);
  for (const auto& [k, v] : response) result.headers[k] = v;
  return result;
}

std::map<std::string, std::string> isolatedEnvironment(const std::filesystem::path& dir) {
  return {{"HOME", dir.string()},
          {"XDG_DATA_HOME", (dir / "data").string()},
          {"XDG_RUNTIME_DIR", (dir / "run").string()},
          {"XDG_CONFIG_HOME", (dir / "config").string()},
          {"PATH", "/usr/bin:/bin"}};
}

}  // namespace ekaci::testsupport
