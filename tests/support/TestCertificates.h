#pragma once

#include <filesystem>

namespace ekaci::testsupport {

// A throw-away certificate authority with a server certificate for 127.0.0.1 and a client
// certificate, made by the openssl program into a directory (PEM files), for tests of TLS
// against local servers. A second, unrelated CA (`otherCa`) is there to be distrusted.
class TestCertificates {
 public:
  explicit TestCertificates(const std::filesystem::path& directory);

  std::filesystem::path ca, serverCert, serverKey, clientCert, clientKey, otherCa;
};

}  // namespace ekaci::testsupport
