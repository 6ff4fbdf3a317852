#include "tests/support/TestCertificates.h"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace ekaci::testsupport {
namespace {

void run(const std::string& command) {
  // Test inputs only: paths under the test's own temporary directory, no user input.
  if (std::system((command + " >/dev/null 2>&1").c_str()) != 0) {  // NOLINT(cert-env33-c)
    throw std::runtime_error("openssl failed: " + command);
  }
}

}  // namespace

TestCertificates::TestCertificates(const std::filesystem::path& directory) {
  std::filesystem::create_directories(directory);
  const auto at = [&](const char* name) { return directory / name; };
  ca = at("ca.pem");
  serverCert = at("server.pem");
  serverKey = at("server.key");
  clientCert = at("client.pem");
  clientKey = at("client.key");
  otherCa = at("other-ca.pem");
  const std::string d = directory.string();
  for (const char* name : {"ca", "other-ca"}) {
    run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=ekaci-test-" + std::string(name) + " -keyout " +
        d + "/" + name + ".key -out " + d + "/" + name + ".pem");
  }
  const auto issue = [&](const std::string& name, const std::string& cn, const std::string& extensions) {
    run("openssl req -newkey rsa:2048 -nodes -subj /CN=" + cn + " -keyout " + d + "/" + name + ".key -out " + d + "/" +
        name + ".csr");
    std::string ext = d + "/" + name + ".ext";
    run("printf '%s\\n' '" + extensions + "' > " + ext);
    run("openssl x509 -req -in " + d + "/" + name + ".csr -CA " + ca.string() + " -CAkey " + d +
        "/ca.key -CAcreateserial -days 2 -extfile " + ext + " -out " + d + "/" + name + ".pem");
  };
  issue("server", "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost");
  // Poco checks a client certificate against the peer address too: it names 127.0.0.1.
  issue("client", "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost");
}

}  // namespace ekaci::testsupport
