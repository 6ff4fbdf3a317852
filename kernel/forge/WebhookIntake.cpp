#include "kernel/forge/WebhookIntake.h"

#include "kernel/forge/ForgeJson.h"
#include "kernel/services/Sha256.h"

namespace ekaci::forge {
namespace {

const std::vector<double> kSecondsBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};

std::string jsonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

// A delivery without the forge's delivery id is identified by its content, so that the
// same body delivered twice is still recognised.
std::string contentId(const std::string& body) {
  return "sha256:" + services::Sha256::hex(body);
}

}  // namespace

WebhookIntake::WebhookIntake(Services services, std::function<void()> stored)
    : services_(services),
      stored_(std::move(stored)),
      verified_(services.metrics.counter("webhook_signature_verified_total",
                                         "Webhook deliveries whose signature or token was verified.", {})),
      duplicates_(services.metrics.counter("webhook_duplicates_total",
                                           "Verified deliveries whose delivery id was seen before (ignored).", {})),
      seconds_(services.metrics.histogram("webhook_processing_seconds",
                                          "Time from a delivery's arrival to its answer (verify, parse, store).", {},
                                          kSecondsBuckets)) {}

WebhookIntake::Reply WebhookIntake::refuse(int status, sdk::ErrorCode code, const std::string& message,
                                           const std::string& reason) {
  services_.metrics.counter("webhook_rejected_total", "Webhook deliveries refused, by reason.", {{"reason", reason}})
      .increment();
  return Reply{status, R"({"error":{"code":)" + std::to_string(static_cast<int>(code)) + R"(,"name":)" +
                           jsonString(sdk::errorCodeName(code)) + R"(,"message":)" + jsonString(message) + "}}"};
}

WebhookIntake::Reply WebhookIntake::receive(ForgeInstances::Instance& instance,
                                            const std::vector<std::pair<std::string, std::string>>& headers,
                                            const std::string& body, const std::string& path) {
  const auto started = services_.clock.monotonic();
  struct Observe {
    const sdk::Clock& clock;
    std::chrono::steady_clock::time_point started;
    sdk::Histogram& histogram;
    ~Observe() { histogram.observe(std::chrono::duration<double>(clock.monotonic() - started).count()); }
  } observe{services_.clock, started, seconds_};

  if (body.size() > kMaxBodyBytes) {
    return refuse(413, sdk::ErrorCode::HttpPayloadTooLarge,
                  "webhook body exceeds " + std::to_string(kMaxBodyBytes) + " bytes", "too_large");
  }
  sdk::WebhookRequest request{headers, body, path};
  auto& webhooks = instance.forge->webhooks();
  if (auto verified = webhooks.verify(request); !verified) {
    const auto code = verified.error().code();
    const std::string reason = code == sdk::ErrorCode::WebhookSignatureMissing ? "missing" : "invalid";
    services_.metrics
        .counter("webhook_signature_failures_total", "Webhook deliveries refused for their signature, by reason.",
                 {{"reason", reason}})
        .increment();
    services_.logger.warn("webhook refused: signature " + reason,
                          {{"forge", instance.id}, {"error", verified.error().describe()}});
    return refuse(401, code, "signature " + reason, "signature_" + reason);
  }
  verified_.increment();
  auto events = webhooks.parse(request);
  if (!events) {
    services_.logger.warn("verified webhook could not be parsed",
                          {{"forge", instance.id}, {"error", events.error().describe()}});
    return refuse(400, sdk::ErrorCode::WebhookMalformed, events.error().message(), "malformed");
  }
  if (events->empty()) return Reply{202, R"({"accepted":0})"};

  const std::string deliveryId = events->front().deliveryId.empty() ? contentId(body) : events->front().deliveryId;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(services_.clock.now().time_since_epoch()).count();
  std::vector<storage::ForgeEventRecord> records;
  records.reserve(events->size());
  for (std::size_t i = 0; i < events->size(); ++i) {
    auto& event = (*events)[i];
    event.deliveryId = deliveryId;
    if (event.repository.forgeId.empty()) event.repository.forgeId = instance.id;
    if (event.changeRequest.repository.forgeId.empty()) event.changeRequest.repository.forgeId = instance.id;
    storage::ForgeEventRecord record;
    record.forgeId = instance.id;
    record.deliveryId = deliveryId;
    record.seq = static_cast<std::int64_t>(i);
    record.eventName = event.eventName;
    record.action = event.action;
    record.kind = ForgeJson::kindName(event.kind);
    record.payloadJson = ForgeJson::encode(event);
    record.receivedAt = now;
    records.push_back(std::move(record));
  }
  auto stored = services_.storage.recordForgeEvents(records);
  if (!stored) {
    // Not acknowledged: the forge delivers again later.
    services_.logger.error("webhook event could not be stored",
                           {{"forge", instance.id}, {"error", stored.error().describe()}});
    return refuse(503, stored.error().code(), "the event could not be stored; deliver it again", "storage");
  }
  if (!*stored) {
    duplicates_.increment();
    return Reply{200, R"({"duplicate":true,"delivery":)" + jsonString(deliveryId) + "}"};
  }
  for (const auto& event : *events) {
    services_.metrics
        .counter("webhook_events_total", "Verified webhook events stored, by forge, event and action.",
                 {{"forge", instance.id}, {"event", event.eventName}, {"action", event.action}})
        .increment();
  }
  if (stored_) stored_();
  return Reply{202,
               R"({"accepted":)" + std::to_string(events->size()) + R"(,"delivery":)" + jsonString(deliveryId) + "}"};
}

}  // namespace ekaci::forge
