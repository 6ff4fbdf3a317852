#pragma once

#include <string>

namespace ekaci::config {

// The server-side request forgery check of a cache destination: an address on loopback,
// link-local (cloud metadata services live there: 169.254.169.254, fd00:ec2::254), private,
// unspecified or multicast networks, or a name that resolves to one, is refused unless
// security.allow_private_cache_hosts. Destinations that are not URLs (a Cachix cache name)
// or name no host (file://, a local path) pass; so does a name that does not resolve now
// (it is checked by the push's own connection, which then fails).
class DestinationGuard {
 public:
  // Empty when allowed, else why not ("127.0.0.1 is a loopback address").
  static std::string refusal(const std::string& destination);
  // The host a destination URL names (s3://bucket?endpoint=URL names the endpoint's host;
  // a bare s3://bucket names AWS), or "" when it names none.
  static std::string hostOf(const std::string& destination);
  // Why a literal IPv4/IPv6 address is private, or "" when it is public (or not an address).
  static std::string privateAddress(const std::string& address);
};

}  // namespace ekaci::config
