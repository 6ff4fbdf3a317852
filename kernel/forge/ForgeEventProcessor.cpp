#include "kernel/forge/ForgeEventProcessor.h"

#include "kernel/forge/ForgeJson.h"

namespace ekaci::forge {

ForgeEventProcessor::ForgeEventProcessor(Services services)
    : services_(services), thread_([this] { return processPending(); }, std::chrono::seconds(5)) {}

ForgeEventProcessor::~ForgeEventProcessor() {
  stop();
}

std::size_t ForgeEventProcessor::processPending() {
  auto pending = services_.storage.pendingForgeEvents(100);
  if (!pending) {
    services_.logger.warn("cannot read stored forge events", {{"error", pending.error().describe()}});
    return 0;
  }
  std::vector<storage::Storage::ForgeEventOutcome> outcomes;
  outcomes.reserve(pending->size());
  for (const auto& record : *pending) {
    auto event = ForgeJson::decodeEvent(record.payloadJson);
    sdk::Result<void> handled =
        event ? services_.flow.handle(record.forgeId, *event) : sdk::Result<void>(event.error());
    const char* outcome = handled ? "done" : "failed";
    services_.metrics
        .counter("forge_events_processed_total", "Stored forge events handled, by kind and outcome.",
                 {{"kind", record.kind}, {"outcome", outcome}})
        .increment();
    if (!handled) {
      services_.logger.warn("forge event not handled", {{"forge", record.forgeId},
                                                        {"delivery", record.deliveryId},
                                                        {"event", record.eventName + "." + record.action},
                                                        {"error", handled.error().describe()}});
    }
    outcomes.push_back({record.id, outcome, handled ? "" : handled.error().describe()});
  }
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(services_.clock.now().time_since_epoch()).count();
  if (auto finished = services_.storage.finishForgeEvents(outcomes, now); !finished) {
    services_.logger.error("cannot mark forge events handled", {{"error", finished.error().describe()}});
  }
  return pending->size();
}

}  // namespace ekaci::forge
