#include "kernel/config/DestinationGuard.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace ekaci::config {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string percentDecoded(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) != 0 &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2])) != 0) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string ipv4Refusal(const unsigned char* a) {
  if (a[0] == 127) return "a loopback address";
  if (a[0] == 0) return "an unspecified address";
  if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168)) return "a private address";
  if (a[0] == 169 && a[1] == 254) return "a link-local address (cloud metadata services live there)";
  if (a[0] == 100 && (a[1] & 0xc0) == 64) return "a shared (carrier-grade NAT) address";
  if (a[0] >= 224) return "a multicast or reserved address";
  return "";
}

std::string ipv6Refusal(const unsigned char* a) {
  static constexpr std::array<unsigned char, 16> kLoopback = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static constexpr std::array<unsigned char, 16> kAny = {};
  if (std::memcmp(a, kLoopback.data(), 16) == 0) return "a loopback address";
  if (std::memcmp(a, kAny.data(), 16) == 0) return "an unspecified address";
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return "a link-local address";
  if ((a[0] & 0xfe) == 0xfc) return "a unique-local (private) address (cloud metadata services live there too)";
  if (a[0] == 0xff) return "a multicast address";
  // IPv4-mapped (::ffff:a.b.c.d): the IPv4 rules.
  static constexpr std::array<unsigned char, 12> kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a, kMapped.data(), 12) == 0) return ipv4Refusal(a + 12);
  return "";
}

}  // namespace

std::string DestinationGuard::privateAddress(const std::string& address) {
  unsigned char bytes[16];
  if (::inet_pton(AF_INET, address.c_str(), bytes) == 1) return ipv4Refusal(bytes);
  if (::inet_pton(AF_INET6, address.c_str(), bytes) == 1) return ipv6Refusal(bytes);
  return "";
}

std::string DestinationGuard::hostOf(const std::string& destination) {
  const auto scheme = destination.find("://");
  if (scheme == std::string::npos) return "";
  const std::string kind = lower(destination.substr(0, scheme));
  std::string rest = destination.substr(scheme + 3);
  if (kind == "file" || kind == "local" || kind == "daemon") return "";
  if (kind == "s3") {
    const auto query = rest.find('?');
    if (query == std::string::npos) return "";
    std::string params = rest.substr(query + 1);
    for (std::size_t start = 0; start <= params.size();) {
      const auto amp = params.find('&', start);
      const std::string param = params.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      if (param.rfind("endpoint=", 0) == 0) {
        std::string endpoint = percentDecoded(param.substr(9));
        if (endpoint.find("://") == std::string::npos) endpoint = "https://" + endpoint;
        return hostOf(endpoint);
      }
      if (amp == std::string::npos) break;
      start = amp + 1;
    }
    return "";
  }
  const auto end = rest.find_first_of("/?#");
  std::string authority = rest.substr(0, end);
  if (const auto at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    return close == std::string::npos ? authority.substr(1) : authority.substr(1, close - 1);
  }
  if (const auto colon = authority.rfind(':'); colon != std::string::npos) authority = authority.substr(0, colon);
  return lower(authority);
}

std::string DestinationGuard::refusal(const std::string& destination) {
  const std::string host = hostOf(destination);
  if (host.empty()) return "";
  if (auto literal = privateAddress(host); !literal.empty()) return host + " is " + literal;
  if (host == "localhost" || (host.size() > 10 && host.compare(host.size() - 10, 10, ".localhost") == 0) ||
      host == "metadata" || host == "metadata.google.internal" || host == "instance-data") {
    return host + " names this machine or a cloud metadata service";
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return "";
  std::string why;
  for (addrinfo* a = found; a != nullptr && why.empty(); a = a->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    if (a->ai_family == AF_INET) {
      ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr, text, sizeof text);
    } else if (a->ai_family == AF_INET6) {
      ::inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr, text, sizeof text);
    }
    if (auto p = privateAddress(text); !p.empty()) why = host + " resolves to " + text + ", " + p;
  }
  ::freeaddrinfo(found);
  return why;
}

}  // namespace ekaci::config
