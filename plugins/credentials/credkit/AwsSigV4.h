#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ekaci::plugins::credentials {

// AWS Signature Version 4 for one request: the canonical request (method, URI-encoded path,
// query sorted by name, lower-case headers sorted and trimmed, SHA-256 of the payload), the
// string to sign under <date>/<region>/<service>/aws4_request, and the Authorization header
// with the HMAC-SHA256 chain of the secret key. Checked against AWS's published test vectors.
class AwsSigV4 {
 public:
  struct Request {
    std::string method = "GET";
    std::string path = "/";                                    // already URI-encoded
    std::string query;                                         // name=value&..., already encoded; sorted here
    std::vector<std::pair<std::string, std::string>> headers;  // must include host and x-amz-date
    std::string payload;
  };
  struct Key {
    std::string accessKeyId;
    std::string secretAccessKey;
    std::string region;
    std::string service;
  };

  // The Authorization header's value; `amzDate` is the request's x-amz-date (YYYYMMDDTHHMMSSZ).
  static std::string authorization(const Request& request, const Key& key, const std::string& amzDate);
  static std::string canonicalRequest(const Request& request, std::string* signedHeaders = nullptr);
  static std::string canonicalQuery(const std::string& query);
  static std::string amzDate(std::chrono::system_clock::time_point at);
  static std::string sha256Hex(std::string_view data);
};

}  // namespace ekaci::plugins::credentials
