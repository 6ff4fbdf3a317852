#include "kernel/services/PocoHttpClient.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/URI.h>

#include <memory>

namespace ekaci::services {

PocoHttpClient::PocoHttpClient(std::size_t maxResponseBytes) : maxResponseBytes_(maxResponseBytes) {
  Poco::Net::initializeSSL();
}

PocoHttpClient::~PocoHttpClient() {
  Poco::Net::uninitializeSSL();
}

sdk::Result<sdk::HttpResponse> PocoHttpClient::send(const sdk::HttpRequest& request) {
  Poco::URI uri;
  try {
    uri = Poco::URI(request.url);
  } catch (const Poco::Exception& e) {
    return sdk::Error(sdk::ErrorCode::HttpBadUrl, "bad URL '" + request.url + "': " + e.displayText());
  }
  if (uri.getScheme() != "http" && uri.getScheme() != "https") {
    return sdk::Error(sdk::ErrorCode::HttpBadUrl, "unsupported URL scheme in '" + request.url + "'");
  }
  if (uri.getHost().empty()) return sdk::Error(sdk::ErrorCode::HttpBadUrl, "URL without a host: '" + request.url + "'");

  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (uri.getScheme() == "https") {
    const sdk::HttpTls& tls = request.tls;
    if (tls.clientCertFile.empty() != tls.clientKeyFile.empty()) {
      return sdk::Error(sdk::ErrorCode::InvalidArgument,
                        "a client certificate needs its key, and a key its certificate");
    }
    Poco::Net::Context::Ptr context;
    try {
      // The peer is verified against the system's CAs, or only against the request's bundle.
      context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, tls.clientKeyFile, tls.clientCertFile,
                                       tls.caFile, Poco::Net::Context::VERIFY_RELAXED, 9, tls.caFile.empty());
    } catch (const Poco::Exception& e) {
      return sdk::Error(sdk::ErrorCode::InvalidArgument, "TLS settings for " + uri.getHost() + ": " + e.displayText());
    }
    session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context);
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
  }
  const auto timeout = Poco::Timespan(static_cast<long>(request.timeout.count() / 1000),
                                      static_cast<long>((request.timeout.count() % 1000) * 1000));
  session->setTimeout(timeout);

  // The target exactly as the caller wrote it: Poco::URI decodes the path, and re-encoding
  // it would turn an escaped '/' (%2F) inside a segment back into a separator.
  std::string target;
  if (const auto scheme = request.url.find("://"); scheme != std::string::npos) {
    if (const auto path = request.url.find('/', scheme + 3); path != std::string::npos) {
      target = request.url.substr(path);
      if (const auto fragment = target.find('#'); fragment != std::string::npos) target.resize(fragment);
    } else if (const auto query = request.url.find('?', scheme + 3); query != std::string::npos) {
      target = "/" + request.url.substr(query);
    }
  }
  if (target.empty()) target = "/";
  {
    // What a request target cannot carry raw is escaped; escapes already there stay.
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string escaped;
    for (unsigned char c : target) {
      if (c <= 0x20 || c >= 0x7f ||
          std::string_view("\"<>\\^`{|}").find(static_cast<char>(c)) != std::string_view::npos) {
        escaped.push_back('%');
        escaped.push_back(kHex[c >> 4]);
        escaped.push_back(kHex[c & 0xf]);
      } else {
        escaped.push_back(static_cast<char>(c));
      }
    }
    target = std::move(escaped);
  }
  Poco::Net::HTTPRequest poco(request.method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : request.headers) poco.set(name, value);
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
    poco.setContentLength(static_cast<std::streamsize>(request.body.size()));
  }

  const std::string what = request.method + " " + uri.getScheme() + "://" + uri.getHost() + ":" +
                           std::to_string(uri.getPort()) + uri.getPath();
  try {
    std::ostream& body = session->sendRequest(poco);
    body.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
    Poco::Net::HTTPResponse pocoResponse;
    std::istream& in = session->receiveResponse(pocoResponse);
    sdk::HttpResponse response;
    response.status = static_cast<int>(pocoResponse.getStatus());
    for (const auto& [name, value] : pocoResponse) response.headers.emplace_back(name, value);
    char buffer[16384];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
      response.body.append(buffer, static_cast<std::size_t>(in.gcount()));
      if (response.body.size() > maxResponseBytes_) {
        return sdk::Error(sdk::ErrorCode::HttpPayloadTooLarge,
                          what + ": response larger than " + std::to_string(maxResponseBytes_) + " bytes");
      }
    }
    return response;
  } catch (const Poco::TimeoutException& e) {
    return sdk::Error(sdk::ErrorCode::HttpTimeout, what + ": " + e.displayText());
  } catch (const Poco::Exception& e) {
    return sdk::Error(sdk::ErrorCode::HttpConnect, what + ": " + e.displayText());
  } catch (const std::exception& e) {
    return sdk::Error(sdk::ErrorCode::HttpConnect, what + ": " + e.what());
  }
}

}  // namespace ekaci::services
