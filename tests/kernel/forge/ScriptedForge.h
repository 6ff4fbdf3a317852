#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "ekaci/sdk/Forge.h"

namespace ekaci::forge::testing {

// A forge for the kernel's tests: a shared-secret "signature" header, one event per body
// line "kind delivery", reports kept in memory by id, and scripted errors for the next calls.
class ScriptedForge : public sdk::Forge, public sdk::ForgeWebhooks, public sdk::ForgeReports {
 public:
  struct Call {
    std::string operation;  // publish, list, cancel
    std::string name;
    sdk::CommitState state = sdk::CommitState::Pending;
    std::string existingId;
  };

  sdk::ForgeCapabilities capabilities() const override { return {}; }
  sdk::ForgeWebhooks& webhooks() override { return *this; }
  sdk::ForgeReports* reports() override { return this; }

  sdk::Result<void> verify(const sdk::WebhookRequest& request) const override {
    for (const auto& [k, v] : request.headers) {
      if (k == "x-signature") {
        return v == "good" ? sdk::success()
                           : sdk::Result<void>(sdk::Error(sdk::ErrorCode::WebhookSignatureInvalid, "bad"));
      }
    }
    return sdk::Error(sdk::ErrorCode::WebhookSignatureMissing, "none");
  }
  sdk::Result<std::vector<sdk::ForgeEvent>> parse(const sdk::WebhookRequest& request) const override {
    ++parses;
    if (request.body == "malformed") return sdk::Error(sdk::ErrorCode::WebhookMalformed, "malformed");
    sdk::ForgeEvent event;
    event.kind = sdk::ForgeEventKind::Ping;
    event.eventName = "ping";
    for (const auto& [k, v] : request.headers) {
      if (k == "x-delivery") event.deliveryId = v;
    }
    return std::vector<sdk::ForgeEvent>{event};
  }

  sdk::Result<std::string> publish(const sdk::RepositoryRef&, const std::string&, const sdk::StatusReport& report,
                                   const std::string& existingId) override {
    std::lock_guard lock(mutex_);
    calls.push_back({"publish", report.name, report.state, existingId});
    if (!errors.empty()) {
      auto e = errors.front();
      errors.pop_front();
      if (e.first == "create-then-fail" && existingId.empty()) {
        // The forge created it, the answer was lost.
        const std::string id = std::to_string(nextId++);
        stored[id] = {id, report.name, report.state, ""};
        return sdk::Error(sdk::ErrorCode::HttpTimeout, "answer lost");
      }
      return e.second;
    }
    const std::string id = existingId.empty() ? std::to_string(nextId++) : existingId;
    stored[id] = {id, report.name, report.state, ""};
    return id;
  }
  sdk::Result<std::vector<sdk::PublishedReport>> list(const sdk::RepositoryRef&, const std::string&) override {
    std::lock_guard lock(mutex_);
    calls.push_back({"list", "", sdk::CommitState::Pending, ""});
    std::vector<sdk::PublishedReport> out;
    for (const auto& [id, r] : stored) out.push_back(r);
    return out;
  }
  sdk::Result<void> cancel(const sdk::RepositoryRef&, const std::string&, const sdk::PublishedReport& report) override {
    std::lock_guard lock(mutex_);
    calls.push_back({"cancel", report.name, sdk::CommitState::Cancelled, report.id});
    return sdk::success();
  }

  void fail(sdk::Error error) {
    std::lock_guard lock(mutex_);
    errors.emplace_back("error", std::move(error));
  }
  void loseNextAnswer() {
    std::lock_guard lock(mutex_);
    errors.emplace_back("create-then-fail", sdk::Error(sdk::ErrorCode::HttpTimeout, ""));
  }

  std::mutex mutex_;
  mutable int parses = 0;
  std::vector<Call> calls;
  std::deque<std::pair<std::string, sdk::Error>> errors;
  std::map<std::string, sdk::PublishedReport> stored;
  int nextId = 1;
};

}  // namespace ekaci::forge::testing
