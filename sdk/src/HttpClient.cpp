#include "ekaci/sdk/HttpClient.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
HttpClient::~HttpClient() = default;

}  // namespace ekaci::sdk

#include <algorithm>
#include <cctype>

namespace ekaci::sdk {

std::string HttpResponse::header(std::string_view name) const {
  auto equalNoCase = [&](const std::string& candidate) {
    return candidate.size() == name.size() &&
           std::equal(candidate.begin(), candidate.end(), name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
  };
  for (const auto& [key, value] : headers) {
    if (equalNoCase(key)) return value;
  }
  return {};
}

}  // namespace ekaci::sdk
