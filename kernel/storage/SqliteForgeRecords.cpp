// SqliteStorage: what the forge service keeps — verified webhook events, the reports it
// published, and the outbox's bookkeeping beyond enqueue and delivery.
#include <Poco/Data/Session.h>

#include "kernel/storage/SqliteStorage.h"
#include "kernel/storage/SqliteSupport.h"

using namespace Poco::Data::Keywords;

namespace ekaci::storage {
using sqlite::inTransaction;
using sqlite::query;

sdk::Result<void> SqliteStorage::markOutboxAbandoned(std::int64_t id, const std::string& error, std::int64_t at) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "abandon forge message", [&] {
    std::string e = error;
    *session_ << "UPDATE forge_outbox SET attempts = attempts + 1, last_error = ?, delivered_at = ?, abandoned_at = ? "
                 "WHERE id = ?",
        use(e), use(at), use(at), use(id), now;
  });
}

sdk::Result<OutboxStats> SqliteStorage::outboxStats() {
  std::lock_guard lock(mutex_);
  return query<OutboxStats>("outbox statistics", [&] {
    OutboxStats stats;
    Poco::Nullable<std::int64_t> oldest, next;
    *session_ << "SELECT COUNT(*), MIN(created_at), MIN(next_attempt_at) FROM forge_outbox WHERE delivered_at IS NULL",
        into(stats.pending), into(oldest), into(next), now;
    if (!oldest.isNull()) stats.oldestCreatedAt = oldest.value();
    if (!next.isNull()) stats.nextAttemptAt = next.value();
    *session_ << "SELECT COUNT(*) FROM forge_outbox WHERE abandoned_at IS NOT NULL", into(stats.abandoned), now;
    return stats;
  });
}

sdk::Result<bool> SqliteStorage::recordForgeEvents(const std::vector<ForgeEventRecord>& events) {
  if (events.empty()) return true;
  std::lock_guard lock(mutex_);
  return inTransaction<bool>(*session_, "record forge events", [&] {
    std::string forge = events.front().forgeId, delivery = events.front().deliveryId;
    std::int64_t seen = 0;
    *session_ << "SELECT COUNT(*) FROM forge_events WHERE forge_id = ? AND delivery_id = ?", use(forge), use(delivery),
        into(seen), now;
    if (seen > 0) return false;
    for (const auto& event : events) {
      std::string name = event.eventName, action = event.action, kind = event.kind, payload = event.payloadJson;
      std::int64_t seq = event.seq, at = event.receivedAt;
      *session_ << "INSERT INTO forge_events (forge_id, delivery_id, seq, event_name, action, kind, payload_json, "
                   "received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          use(forge), use(delivery), use(seq), use(name), use(action), use(kind), use(payload), use(at), now;
    }
    return true;
  });
}

sdk::Result<std::vector<ForgeEventRecord>> SqliteStorage::pendingForgeEvents(std::size_t limit) {
  std::lock_guard lock(mutex_);
  return query<std::vector<ForgeEventRecord>>("pending forge events", [&] {
    std::vector<std::int64_t> ids, seqs, received;
    std::vector<std::string> forges, deliveries, names, actions, kinds, payloads;
    auto count = static_cast<std::int64_t>(limit);
    *session_ << "SELECT id, forge_id, delivery_id, seq, event_name, action, kind, payload_json, received_at "
                 "FROM forge_events WHERE state = 'pending' ORDER BY id LIMIT ?",
        use(count), into(ids), into(forges), into(deliveries), into(seqs), into(names), into(actions), into(kinds),
        into(payloads), into(received), now;
    std::vector<ForgeEventRecord> out(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      out[i] = ForgeEventRecord{ids[i],   forges[i],   deliveries[i], seqs[i], names[i],   actions[i],
                                kinds[i], payloads[i], "pending",     "",      received[i]};
    }
    return out;
  });
}

sdk::Result<void> SqliteStorage::finishForgeEvents(const std::vector<ForgeEventOutcome>& outcomes, std::int64_t at) {
  if (outcomes.empty()) return sdk::success();
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "finish forge events", [&] {
    for (const auto& outcome : outcomes) {
      std::string s = outcome.state, e = outcome.error;
      std::int64_t id = outcome.id;
      *session_ << "UPDATE forge_events SET state = ?, error = ?, processed_at = ? WHERE id = ?", use(s), use(e),
          use(at), use(id), now;
    }
  });
}

sdk::Result<std::vector<ForgeReportRecord>> SqliteStorage::forgeReportsOf(const std::string& forgeId,
                                                                          const std::string& repository,
                                                                          const std::string& commitSha) {
  std::lock_guard lock(mutex_);
  return query<std::vector<ForgeReportRecord>>("forge reports", [&] {
    std::string forge = forgeId, repo = repository, sha = commitSha;
    std::vector<std::string> forges, repos, shas, names, remotes, states, hashes;
    std::vector<std::int64_t> updated;
    *session_ << "SELECT forge_id, repository, commit_sha, name, remote_id, state, payload_hash, updated_at "
                 "FROM forge_reports WHERE (? = '' OR forge_id = ?) AND (? = '' OR repository = ?) AND commit_sha = ? "
                 "ORDER BY name",
        use(forge), use(forge), use(repo), use(repo), use(sha), into(forges), into(repos), into(shas), into(names),
        into(remotes), into(states), into(hashes), into(updated), now;
    std::vector<ForgeReportRecord> out(forges.size());
    for (std::size_t i = 0; i < forges.size(); ++i) {
      out[i] = ForgeReportRecord{forges[i], repos[i], shas[i], names[i], remotes[i], states[i], hashes[i], updated[i]};
    }
    return out;
  });
}

sdk::Result<std::optional<ForgeReportRecord>> SqliteStorage::findForgeReport(const std::string& forgeId,
                                                                             const std::string& repository,
                                                                             const std::string& commitSha,
                                                                             const std::string& name) {
  auto all = forgeReportsOf(forgeId, repository, commitSha);
  if (!all) return std::move(all).error();
  for (auto& report : *all) {
    if (report.name == name) return std::optional<ForgeReportRecord>(std::move(report));
  }
  return std::optional<ForgeReportRecord>();
}

sdk::Result<void> SqliteStorage::saveForgeReport(const ForgeReportRecord& r) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "save forge report", [&] {
    std::string forge = r.forgeId, repo = r.repository, sha = r.commitSha, name = r.name, remote = r.remoteId,
                state = r.state, hash = r.payloadHash;
    std::int64_t at = r.updatedAt;
    *session_ << "INSERT INTO forge_reports (forge_id, repository, commit_sha, name, remote_id, state, payload_hash, "
                 "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (forge_id, repository, commit_sha, name) "
                 "DO UPDATE SET remote_id = excluded.remote_id, state = excluded.state, "
                 "payload_hash = excluded.payload_hash, updated_at = excluded.updated_at",
        use(forge), use(repo), use(sha), use(name), use(remote), use(state), use(hash), use(at), now;
  });
}

}  // namespace ekaci::storage

namespace ekaci::storage {

sdk::Result<std::uint64_t> SqliteStorage::pullRequestComment(const std::string& forgeId, const std::string& repository,
                                                             std::uint64_t number, const std::string& purpose) {
  std::lock_guard lock(mutex_);
  return query<std::uint64_t>("pull request comment", [&] {
    std::string forge = forgeId, repo = repository, what = purpose;
    auto n = static_cast<std::int64_t>(number);
    std::vector<std::int64_t> ids;
    *session_ << "SELECT comment_id FROM forge_pr_comments WHERE forge_id = ? AND repository = ? AND number = ? AND "
                 "purpose = ?",
        use(forge), use(repo), use(n), use(what), into(ids), now;
    return ids.empty() ? std::uint64_t{0} : static_cast<std::uint64_t>(ids.front());
  });
}

sdk::Result<void> SqliteStorage::savePullRequestComment(const std::string& forgeId, const std::string& repository,
                                                        std::uint64_t number, const std::string& purpose,
                                                        std::uint64_t commentId, std::int64_t at) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "save pull request comment", [&] {
    std::string forge = forgeId, repo = repository, what = purpose;
    auto n = static_cast<std::int64_t>(number);
    auto id = static_cast<std::int64_t>(commentId);
    *session_ << "INSERT INTO forge_pr_comments (forge_id, repository, number, purpose, comment_id, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (forge_id, repository, number, purpose) "
                 "DO UPDATE SET comment_id = excluded.comment_id, updated_at = excluded.updated_at",
        use(forge), use(repo), use(n), use(what), use(id), use(at), now;
  });
}

sdk::Result<void> SqliteStorage::saveForgeReview(const ForgeReviewRecord& r) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "save forge review", [&] {
    std::string forge = r.forgeId, repo = r.repository, key = r.key, head = r.headSha, base = r.baseSha,
                state = r.state, event = r.eventJson, report = r.reportJson, markdown = r.markdown, error = r.error,
                changed = r.changedPackagesJson;
    std::int64_t at = r.updatedAt, gates = r.gatesPassed ? 1 : 0;
    *session_ << "INSERT INTO forge_reviews (forge_id, repository, review_key, head_sha, base_sha, state, event_json, "
                 "report_json, markdown, error, updated_at, gates_passed, changed_packages_json) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (forge_id, repository, review_key, head_sha) DO UPDATE SET base_sha = excluded.base_sha, "
                 "state = excluded.state, event_json = excluded.event_json, report_json = excluded.report_json, "
                 "markdown = excluded.markdown, error = excluded.error, updated_at = excluded.updated_at, "
                 "gates_passed = excluded.gates_passed, changed_packages_json = excluded.changed_packages_json",
        use(forge), use(repo), use(key), use(head), use(base), use(state), use(event), use(report), use(markdown),
        use(error), use(at), use(gates), use(changed), now;
  });
}

std::vector<ForgeReviewRecord> SqliteStorage::reviewsWhere(const std::string& condition,
                                                           const std::vector<std::string>& values) {
  std::vector<std::string> forges, repos, keys, heads, bases, states, events, reports, markdowns, errors, changed;
  std::vector<std::int64_t> updated, gates;
  Poco::Data::Statement select(*session_);
  select << "SELECT forge_id, repository, review_key, head_sha, base_sha, state, event_json, report_json, markdown, "
            "error, updated_at, gates_passed, changed_packages_json FROM forge_reviews WHERE " +
                condition + " ORDER BY updated_at DESC, review_key",
      into(forges), into(repos), into(keys), into(heads), into(bases), into(states), into(events), into(reports),
      into(markdowns), into(errors), into(updated), into(gates), into(changed);
  for (const auto& value : values) select, useRef(value);
  select.execute();
  std::vector<ForgeReviewRecord> out(forges.size());
  for (std::size_t i = 0; i < forges.size(); ++i) {
    out[i] = ForgeReviewRecord{forges[i],  repos[i],     keys[i],   heads[i],   bases[i],      states[i], events[i],
                               reports[i], markdowns[i], errors[i], updated[i], gates[i] != 0, changed[i]};
  }
  return out;
}

sdk::Result<std::vector<ForgeReviewRecord>> SqliteStorage::forgeReviewsInStates(
    const std::vector<std::string>& states) {
  std::lock_guard lock(mutex_);
  return query<std::vector<ForgeReviewRecord>>("forge reviews by state", [&] {
    std::string placeholders;
    for (std::size_t i = 0; i < states.size(); ++i) placeholders += i == 0 ? "?" : ", ?";
    if (states.empty()) return std::vector<ForgeReviewRecord>();
    return reviewsWhere("state IN (" + placeholders + ")", states);
  });
}

sdk::Result<std::vector<ForgeReviewRecord>> SqliteStorage::forgeReviewsOf(const std::string& headSha) {
  std::lock_guard lock(mutex_);
  return query<std::vector<ForgeReviewRecord>>("forge reviews of a head",
                                               [&] { return reviewsWhere("head_sha = ?", {headSha}); });
}

sdk::Result<bool> SqliteStorage::setApprovedUser(const std::string& login, bool approved, std::int64_t at) {
  std::lock_guard lock(mutex_);
  return inTransaction<bool>(*session_, "approve user", [&] {
    std::string l = login;
    std::int64_t before = 0, after = 0;
    *session_ << "SELECT COUNT(*) FROM approved_users WHERE login = ?", use(l), into(before), now;
    if (approved) {
      *session_ << "INSERT INTO approved_users (login, added_at) VALUES (?, ?) ON CONFLICT DO NOTHING", use(l), use(at),
          now;
    } else {
      *session_ << "DELETE FROM approved_users WHERE login = ?", use(l), now;
    }
    *session_ << "SELECT COUNT(*) FROM approved_users WHERE login = ?", use(l), into(after), now;
    return before != after;
  });
}

sdk::Result<std::vector<std::string>> SqliteStorage::approvedUsers() {
  std::lock_guard lock(mutex_);
  return query<std::vector<std::string>>("approved users", [&] {
    std::vector<std::string> logins;
    *session_ << "SELECT login FROM approved_users ORDER BY login COLLATE NOCASE", into(logins), now;
    return logins;
  });
}

}  // namespace ekaci::storage

namespace ekaci::storage {

sdk::Result<std::vector<PullRequestListing>> SqliteStorage::pullRequests(const std::string& owner,
                                                                         const std::string& name, std::size_t limit) {
  std::lock_guard lock(mutex_);
  return query<std::vector<PullRequestListing>>("pull requests",
                                                [&] { return pullRequestsWhere("", owner, name, 0, limit); });
}

sdk::Result<std::optional<PullRequestListing>> SqliteStorage::findPullRequestOf(const std::string& forgeId,
                                                                                const std::string& owner,
                                                                                const std::string& name,
                                                                                std::int64_t number) {
  std::lock_guard lock(mutex_);
  return query<std::optional<PullRequestListing>>("pull request", [&]() -> std::optional<PullRequestListing> {
    auto found = pullRequestsWhere(forgeId, owner, name, number, 1);
    if (found.empty()) return std::nullopt;
    return found.front();
  });
}

std::vector<PullRequestListing> SqliteStorage::pullRequestsWhere(const std::string& forgeId, const std::string& owner,
                                                                 const std::string& name, std::int64_t number,
                                                                 std::size_t limit) {
  {
    std::string f = forgeId, o = owner, n = name;
    std::int64_t pr = number;
    auto count = static_cast<std::int64_t>(limit);
    std::vector<std::int64_t> repoIds, ids, numbers, forks, updated;
    std::vector<std::string> forges, owners, names, urls, branches, titles, authors, states, baseBranches, baseShas,
        headBranches, headShas;
    *session_ << "SELECT r.id, r.forge_id, r.owner, r.name, r.clone_url, r.default_branch, p.id, p.number, p.title, "
                 "p.author, p.state, p.base_branch, p.base_sha, p.head_branch, p.head_sha, p.from_fork, p.updated_at "
                 "FROM pull_requests p JOIN repositories r ON r.id = p.repository_id "
                 "WHERE (? = '' OR r.forge_id = ?) AND (? = '' OR r.owner = ?) AND (? = '' OR r.name = ?) "
                 "AND (? = 0 OR p.number = ?) ORDER BY p.updated_at DESC, p.id DESC LIMIT ?",
        use(f), use(f), use(o), use(o), use(n), use(n), use(pr), use(pr), use(count), into(repoIds), into(forges),
        into(owners), into(names), into(urls), into(branches), into(ids), into(numbers), into(titles), into(authors),
        into(states), into(baseBranches), into(baseShas), into(headBranches), into(headShas), into(forks),
        into(updated), now;
    std::vector<PullRequestListing> out(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      auto& l = out[i];
      l.repository = RepositoryRecord{repoIds[i], forges[i], owners[i], names[i], urls[i], branches[i]};
      auto& p = l.pullRequest;
      p.id = ids[i];
      p.repositoryId = repoIds[i];
      p.number = numbers[i];
      p.title = titles[i];
      p.author = authors[i];
      p.state = changeRequestStateFrom(states[i]).value_or(ChangeRequestState::Open);
      p.baseBranch = baseBranches[i];
      p.baseSha = baseShas[i];
      p.headBranch = headBranches[i];
      p.headSha = headShas[i];
      p.fromFork = forks[i] != 0;
      l.updatedAt = updated[i];
    }
    return out;
  }
}

}  // namespace ekaci::storage
