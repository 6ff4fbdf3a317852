#include "AwsSigV4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <ctime>

namespace ekaci::plugins::credentials {
namespace {

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0x0f];
  }
  return out;
}

std::string hmac(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &size);
  return std::string(reinterpret_cast<const char*>(out), size);
}

std::string trimmed(const std::string& value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::string AwsSigV4::sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return hex(digest, sizeof digest);
}

std::string AwsSigV4::amzDate(std::chrono::system_clock::time_point at) {
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[20];
  if (std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc) == 0) return "";
  return text;
}

std::string AwsSigV4::canonicalQuery(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> params;
  for (std::size_t start = 0; start < query.size();) {
    const auto amp = query.find('&', start);
    const std::string part = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    if (!part.empty()) {
      const auto eq = part.find('=');
      params.emplace_back(part.substr(0, eq), eq == std::string::npos ? "" : part.substr(eq + 1));
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) out += (out.empty() ? "" : "&") + name + "=" + value;
  return out;
}

std::string AwsSigV4::canonicalRequest(const Request& request, std::string* signedHeaders) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : request.headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    headers.emplace_back(lower, trimmed(value));
  }
  std::sort(headers.begin(), headers.end());
  std::string canonicalHeaders, names;
  for (const auto& [name, value] : headers) {
    canonicalHeaders += name + ":" + value + "\n";
    names += (names.empty() ? "" : ";") + name;
  }
  if (signedHeaders != nullptr) *signedHeaders = names;
  return request.method + "\n" + (request.path.empty() ? "/" : request.path) + "\n" + canonicalQuery(request.query) +
         "\n" + canonicalHeaders + "\n" + names + "\n" + sha256Hex(request.payload);
}

std::string AwsSigV4::authorization(const Request& request, const Key& key, const std::string& amzDate) {
  std::string signedHeaders;
  const std::string canonical = canonicalRequest(request, &signedHeaders);
  const std::string day = amzDate.substr(0, 8);
  const std::string scope = day + "/" + key.region + "/" + key.service + "/aws4_request";
  const std::string toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonical);
  const std::string signingKey =
      hmac(hmac(hmac(hmac("AWS4" + key.secretAccessKey, day), key.region), key.service), "aws4_request");
  const std::string mac = hmac(signingKey, toSign);
  return "AWS4-HMAC-SHA256 Credential=" + key.accessKeyId + "/" + scope + ", SignedHeaders=" + signedHeaders +
         ", Signature=" + hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

}  // namespace ekaci::plugins::credentials
