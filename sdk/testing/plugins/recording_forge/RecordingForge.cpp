#include "RecordingForge.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ekaci::reference {
namespace {

std::string headerOf(const sdk::WebhookRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < key.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(key[i])) == std::tolower(static_cast<unsigned char>(name[i]));
    }
    if (same) return value;
  }
  return {};
}

std::string key(const sdk::ChangeRequestRef& cr) {
  return cr.repository.fullName() + "#" + std::to_string(cr.number);
}

const char* stateName(sdk::CommitState state) {
  switch (state) {
    case sdk::CommitState::Pending:
      return "pending";
    case sdk::CommitState::Running:
      return "running";
    case sdk::CommitState::Success:
      return "success";
    case sdk::CommitState::Failure:
      return "failure";
    case sdk::CommitState::Error:
      return "error";
    case sdk::CommitState::Cancelled:
      return "cancelled";
    case sdk::CommitState::Skipped:
      return "skipped";
    case sdk::CommitState::Neutral:
      return "neutral";
  }
  return "unknown";
}

}  // namespace

RecordingForge::RecordingForge(std::string secret, std::map<std::string, sdk::Permission> permissions,
                               sdk::HostServices& host)
    : secret_(std::move(secret)),
      permissions_(std::move(permissions)),
      host_(host),
      logPath_(host.stateDirectory() / "recording.log") {}

sdk::ForgeCapabilities RecordingForge::capabilities() const {
  sdk::ForgeCapabilities caps;
  caps.checkRuns = true;
  caps.commitStatuses = true;
  caps.reactions = true;
  return caps;
}

std::string RecordingForge::sign(const std::string& secret, const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

sdk::Result<void> RecordingForge::verify(const sdk::WebhookRequest& request) const {
  std::string given = headerOf(request, "X-Ekaci-Signature-256");
  if (given.empty()) {
    return sdk::Error(sdk::ErrorCode::WebhookSignatureMissing, "X-Ekaci-Signature-256 header is missing");
  }
  std::string expected = sign(secret_, request.body);
  if (given.size() != expected.size() || CRYPTO_memcmp(given.data(), expected.data(), given.size()) != 0) {
    return sdk::Error(sdk::ErrorCode::WebhookSignatureInvalid, "signature does not match the body");
  }
  return sdk::success();
}

sdk::Result<std::vector<sdk::ForgeEvent>> RecordingForge::parse(const sdk::WebhookRequest& request) const {
  std::map<std::string, std::string> fields;
  std::istringstream in(request.body);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0) {
      return sdk::Error(sdk::ErrorCode::WebhookMalformed, "line without key=value: '" + line.substr(0, 40) + "'");
    }
    fields[line.substr(0, eq)] = line.substr(eq + 1);
  }
  static const std::map<std::string, sdk::ForgeEventKind> kKinds = {
      {"opened", sdk::ForgeEventKind::ChangeRequestOpened},
      {"updated", sdk::ForgeEventKind::ChangeRequestUpdated},
      {"closed", sdk::ForgeEventKind::ChangeRequestClosed},
      {"merged", sdk::ForgeEventKind::ChangeRequestMerged},
      {"reopened", sdk::ForgeEventKind::ChangeRequestReopened},
      {"comment", sdk::ForgeEventKind::Comment},
      {"ping", sdk::ForgeEventKind::Ping}};
  if (fields["event"].empty()) return sdk::Error(sdk::ErrorCode::WebhookMalformed, "no event");
  sdk::ForgeEvent event;
  event.eventName = fields["event"];
  event.action = fields["action"];
  event.installationId = fields["installation"];
  event.deliveryId = fields["delivery"];
  auto kind = kKinds.find(fields["event"]);
  event.kind = kind == kKinds.end() ? sdk::ForgeEventKind::Other : kind->second;
  if (event.kind == sdk::ForgeEventKind::Ping || event.kind == sdk::ForgeEventKind::Other) {
    return std::vector<sdk::ForgeEvent>{event};
  }

  auto& cr = event.changeRequest;
  cr.repository.owner = fields["owner"];
  cr.repository.name = fields["repo"];
  const std::string& number = fields["number"];
  auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), cr.number);
  if (ec != std::errc() || ptr != number.data() + number.size() || cr.number == 0 || cr.repository.owner.empty() ||
      cr.repository.name.empty() || fields["head"].empty()) {
    return sdk::Error(sdk::ErrorCode::WebhookMalformed, "owner, repo, number and head are required");
  }
  cr.headSha = fields["head"];
  cr.baseSha = fields["base"];
  cr.author = fields["author"];
  cr.repository.installationId = event.installationId;
  cr.repository.cloneUrl = fields["clone_url"];
  cr.headCloneUrl = fields["head_clone_url"].empty() ? cr.repository.cloneUrl : fields["head_clone_url"];
  cr.fromFork = cr.headCloneUrl != cr.repository.cloneUrl;
  event.repository = cr.repository;
  event.commentBody = fields["comment"];
  event.commentAuthor = fields["commenter"];
  event.commentAuthorId = fields["commenter_id"];
  event.commentAuthorIsBot = fields["commenter_bot"] == "true";
  event.commentId = std::strtoull(fields["comment_id"].c_str(), nullptr, 10);
  event.commentCreatedAt = std::strtoll(fields["comment_created"].c_str(), nullptr, 10);
  {
    std::lock_guard lock(mutex_);
    heads_[key(cr)] = cr.headSha;
  }
  return std::vector<sdk::ForgeEvent>{event};
}

void RecordingForge::record(const std::string& line) {
  std::ofstream out(logPath_, std::ios::app);
  out << line << '\n';
}

sdk::Result<std::string> RecordingForge::publish(const sdk::RepositoryRef& repository, const std::string& commitSha,
                                                 const sdk::StatusReport& report, const std::string& existingId) {
  std::lock_guard lock(mutex_);
  auto& reports = reports_[repository.fullName() + "@" + commitSha];
  if (!existingId.empty()) {
    for (auto& published : reports) {
      if (published.id != existingId) continue;
      published.state = report.state;
      record("update " + repository.fullName() + " " + commitSha + " " + existingId + " " + report.name + " " +
             stateName(report.state));
      return existingId;
    }
    return sdk::Error(sdk::ErrorCode::NotFound, "no report " + existingId + " on " + commitSha);
  }
  std::string id = "report-" + std::to_string(nextId_++);
  reports.push_back(sdk::PublishedReport{id, report.name, report.state, report.externalId});
  record("report " + repository.fullName() + " " + commitSha + " " + report.name + " " + stateName(report.state));
  return id;
}

sdk::Result<std::vector<sdk::PublishedReport>> RecordingForge::list(const sdk::RepositoryRef& repository,
                                                                    const std::string& commitSha) {
  std::lock_guard lock(mutex_);
  auto found = reports_.find(repository.fullName() + "@" + commitSha);
  return found == reports_.end() ? std::vector<sdk::PublishedReport>{} : found->second;
}

sdk::Result<void> RecordingForge::cancel(const sdk::RepositoryRef& repository, const std::string& commitSha,
                                         const sdk::PublishedReport& report) {
  std::lock_guard lock(mutex_);
  for (auto& published : reports_[repository.fullName() + "@" + commitSha]) {
    if (published.id != report.id) continue;
    published.state = sdk::CommitState::Cancelled;
    record("cancel " + repository.fullName() + " " + commitSha + " " + report.id);
    return sdk::success();
  }
  return sdk::Error(sdk::ErrorCode::NotFound, "no report " + report.id + " on " + commitSha);
}

sdk::Result<std::uint64_t> RecordingForge::create(const sdk::ChangeRequestRef& changeRequest,
                                                  const std::string& markdown) {
  std::lock_guard lock(mutex_);
  const std::uint64_t id = nextId_++;
  comments_[id] = key(changeRequest);
  record("comment " + key(changeRequest) + " " + std::to_string(markdown.size()) + " bytes");
  return id;
}

sdk::Result<void> RecordingForge::edit(const sdk::ChangeRequestRef& changeRequest, std::uint64_t commentId,
                                       const std::string& markdown) {
  std::lock_guard lock(mutex_);
  auto found = comments_.find(commentId);
  if (found == comments_.end() || found->second != key(changeRequest)) {
    return sdk::Error(sdk::ErrorCode::NotFound,
                      "no comment " + std::to_string(commentId) + " on " + key(changeRequest));
  }
  record("edit " + key(changeRequest) + " " + std::to_string(commentId) + " " + std::to_string(markdown.size()) +
         " bytes");
  return sdk::success();
}

sdk::Result<void> RecordingForge::react(const sdk::ChangeRequestRef& changeRequest, std::uint64_t commentId,
                                        sdk::Reaction reaction) {
  std::lock_guard lock(mutex_);
  record("react " + key(changeRequest) + " " + std::to_string(commentId) + " " +
         std::to_string(static_cast<int>(reaction)));
  return sdk::success();
}

sdk::Result<sdk::Permission> RecordingForge::permissionOf(const sdk::RepositoryRef& /*repository*/,
                                                          const std::string& user) {
  auto it = permissions_.find(user);
  return it == permissions_.end() ? sdk::Permission::None : it->second;
}

sdk::Result<sdk::MergeSettings> RecordingForge::mergeSettings(const sdk::RepositoryRef& /*repository*/) {
  return sdk::MergeSettings{};
}

sdk::Result<std::int64_t> RecordingForge::commitTime(const sdk::RepositoryRef& /*repository*/, const std::string& sha) {
  return sdk::Error(sdk::ErrorCode::NotFound, "the recording forge keeps no commit times (" + sha + ")");
}

sdk::Result<void> RecordingForge::merge(const sdk::ChangeRequestRef& changeRequest, sdk::MergeMethod method,
                                        const std::string& expectedHeadSha) {
  std::lock_guard lock(mutex_);
  auto it = heads_.find(key(changeRequest));
  if (it == heads_.end()) {
    return sdk::Error(sdk::ErrorCode::NotFound, "no change request " + key(changeRequest) + " was seen");
  }
  if (it->second != expectedHeadSha) {
    return sdk::Error(sdk::ErrorCode::ForgeHeadChanged,
                      "head of " + key(changeRequest) + " is " + it->second + ", not " + expectedHeadSha);
  }
  record("merge " + key(changeRequest) + " " + expectedHeadSha + " " + std::to_string(static_cast<int>(method)));
  return sdk::success();
}

sdk::Result<sdk::CloneCredentials> RecordingForge::cloneCredentials(const sdk::RepositoryRef& /*repository*/) {
  return sdk::CloneCredentials{"recording", sdk::Secret("recording-token")};
}

}  // namespace ekaci::reference
