#include "kernel/config/DestinationGuard.h"

#include <gtest/gtest.h>

namespace ekaci::config {

TEST(DestinationGuardTest, HostsAreFoundInEveryDestinationForm) {
  EXPECT_EQ(DestinationGuard::hostOf("https://cache.example.com/x"), "cache.example.com");
  EXPECT_EQ(DestinationGuard::hostOf("https://user:pw@Cache.Example.com:8443/x"), "cache.example.com");
  EXPECT_EQ(DestinationGuard::hostOf("http://[fe80::1]:80/"), "fe80::1");
  EXPECT_EQ(DestinationGuard::hostOf("ssh://builder@10.1.2.3"), "10.1.2.3");
  EXPECT_EQ(DestinationGuard::hostOf("s3://bucket/p?region=eu-west-1&endpoint=http%3A%2F%2F127.0.0.1%3A9000"),
            "127.0.0.1");
  EXPECT_EQ(DestinationGuard::hostOf("s3://bucket/p?endpoint=minio.internal:9000"), "minio.internal");
  EXPECT_EQ(DestinationGuard::hostOf("s3://bucket/p?region=us-east-1"), "");
  EXPECT_EQ(DestinationGuard::hostOf("file:///srv/cache"), "");
  EXPECT_EQ(DestinationGuard::hostOf("my-cachix-cache"), "");
}

TEST(DestinationGuardTest, PrivateAddressesAreNamed) {
  for (const std::string address :
       {"127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1", "169.254.169.254",
        "0.0.0.0", "100.64.0.1", "224.0.0.1", "::1", "::", "fe80::1", "fd00:ec2::254", "fc00::1", "::ffff:127.0.0.1",
        "::ffff:169.254.169.254"}) {
    EXPECT_NE(DestinationGuard::privateAddress(address), "") << address;
  }
  for (const std::string address : {"8.8.8.8", "172.32.0.1", "172.15.0.1", "100.128.0.1", "2606:4700::1111",
                                    "::ffff:8.8.8.8", "cache.example.com"}) {
    EXPECT_EQ(DestinationGuard::privateAddress(address), "") << address;
  }
}

TEST(DestinationGuardTest, RefusalsNameTheHostAndWhy) {
  EXPECT_EQ(DestinationGuard::refusal("http://169.254.169.254/latest/meta-data"),
            "169.254.169.254 is a link-local address (cloud metadata services live there)");
  EXPECT_NE(DestinationGuard::refusal("https://localhost:5000/cache").find("names this machine"), std::string::npos);
  EXPECT_NE(DestinationGuard::refusal("http://metadata.google.internal/").find("cloud metadata"), std::string::npos);
  EXPECT_EQ(DestinationGuard::refusal("s3://bucket/nix?region=us-east-1"), "");
  EXPECT_EQ(DestinationGuard::refusal("file:///srv/cache"), "");
  EXPECT_EQ(DestinationGuard::refusal("https://203.0.113.7/"), "");
}

}  // namespace ekaci::config
