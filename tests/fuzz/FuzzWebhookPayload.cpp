// Webhook bodies are the sender's bytes (verified, but a forge relays what users typed): the
// GitHub, Gitea and GitLab parsers never crash, answer the same twice, and an event they
// return is either Other or names what the kernel needs to act on it.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "GiteaEventParser.h"
#include "GithubEventParser.h"
#include "GitlabEventParser.h"

namespace {

using ekaci::sdk::ForgeEvent;
using ekaci::sdk::ForgeEventKind;

const std::vector<std::vector<std::string>> kEvents = {
    {"pull_request", "issue_comment", "pull_request_review", "merge_group", "check_run", "check_suite", "installation",
     "installation_repositories", "push", "ping", "star"},
    {"pull_request", "pull_request_sync", "issue_comment", "pull_request_comment", "pull_request_review_approved",
     "pull_request_review_rejected", "push", "release"},
    {"Merge Request Hook", "Note Hook", "Push Hook", "Pipeline Hook"},
};

bool same(const ForgeEvent& a, const ForgeEvent& b) {
  return a.kind == b.kind && a.changeRequest.number == b.changeRequest.number &&
         a.changeRequest.headSha == b.changeRequest.headSha && a.commentBody == b.commentBody &&
         a.commentId == b.commentId && a.repository.fullName() == b.repository.fullName();
}

void check(const ForgeEvent& e) {
  switch (e.kind) {
    case ForgeEventKind::ChangeRequestOpened:
    case ForgeEventKind::ChangeRequestUpdated:
    case ForgeEventKind::ChangeRequestReopened:
      // A review needs a pull request, a head and a repository.
      if (e.changeRequest.number == 0 || e.changeRequest.headSha.empty() || e.repository.name.empty()) std::abort();
      break;
    case ForgeEventKind::Comment:
      if (e.changeRequest.number == 0 || e.commentId == 0) std::abort();
      break;
    default:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t forge = data[0] % kEvents.size();
  const std::string& event = kEvents[forge][data[1] % kEvents[forge].size()];
  const std::string body(reinterpret_cast<const char*>(data + 2), size - 2);
  auto parse = [&] {
    switch (forge) {
      case 0:
        return ekaci::github::GithubEventParser::parse(event, "d", body, "github");
      case 1:
        return ekaci::gitea::GiteaEventParser::parse(event, "d", body, "gitea");
      default:
        return ekaci::gitlab::GitlabEventParser::parse(event, "d", body, "gitlab");
    }
  };
  auto first = parse();
  auto second = parse();
  if (first.ok() != second.ok()) std::abort();
  if (!first) {
    if (first.error().message().empty() || first.error().code() != ekaci::sdk::ErrorCode::WebhookMalformed) {
      std::abort();
    }
    return 0;
  }
  if (first->size() != second->size()) std::abort();
  for (std::size_t i = 0; i < first->size(); ++i) {
    check((*first)[i]);
    if (!same((*first)[i], (*second)[i])) std::abort();
  }
  return 0;
}
