// SqliteStorage: what merging needs — auto-merge and pending comment commands per pull
// request, approving reviews, and package maintainers per attribute path.
#include <Poco/Data/Session.h>

#include "kernel/storage/SqliteStorage.h"
#include "kernel/storage/SqliteSupport.h"

using namespace Poco::Data::Keywords;

namespace ekaci::storage {
using sqlite::inTransaction;
using sqlite::query;

std::vector<MergeRequestRecord> SqliteStorage::mergeRequestsWhere(const std::string& condition,
                                                                  const std::vector<std::string>& values) {
  std::vector<std::string> forges, repos, preferred, pinned, methods, requesters, requesterIds, mergedShas,
      mergedMethods, mergedBy;
  std::vector<std::int64_t> numbers, autos, comments, requestedAt, mergedAt, updated;
  Poco::Data::Statement select(*session_);
  select << "SELECT forge_id, repository, number, auto_merge, preferred_method, pinned_sha, command_method, requester, "
            "requester_id, comment_id, requested_at, merged_sha, merged_method, merged_by, merged_at, updated_at "
            "FROM merge_requests WHERE " +
                condition + " ORDER BY forge_id, repository, number",
      into(forges), into(repos), into(numbers), into(autos), into(preferred), into(pinned), into(methods),
      into(requesters), into(requesterIds), into(comments), into(requestedAt), into(mergedShas), into(mergedMethods),
      into(mergedBy), into(mergedAt), into(updated);
  for (const auto& value : values) select, useRef(value);
  select.execute();
  std::vector<MergeRequestRecord> out(forges.size());
  for (std::size_t i = 0; i < forges.size(); ++i) {
    auto& r = out[i];
    r.forgeId = forges[i];
    r.repository = repos[i];
    r.number = numbers[i];
    r.autoMerge = autos[i] != 0;
    r.preferredMethod = preferred[i];
    r.pinnedSha = pinned[i];
    r.commandMethod = methods[i];
    r.requester = requesters[i];
    r.requesterId = requesterIds[i];
    r.commentId = comments[i];
    r.requestedAt = requestedAt[i];
    r.mergedSha = mergedShas[i];
    r.mergedMethod = mergedMethods[i];
    r.mergedBy = mergedBy[i];
    r.mergedAt = mergedAt[i];
    r.updatedAt = updated[i];
  }
  return out;
}

sdk::Result<std::optional<MergeRequestRecord>> SqliteStorage::findMergeRequest(const std::string& forgeId,
                                                                               const std::string& repository,
                                                                               std::int64_t number) {
  std::lock_guard lock(mutex_);
  return query<std::optional<MergeRequestRecord>>("merge request", [&]() -> std::optional<MergeRequestRecord> {
    auto found = mergeRequestsWhere("forge_id = ? AND repository = ? AND number = ?",
                                    {forgeId, repository, std::to_string(number)});
    if (found.empty()) return std::nullopt;
    return found.front();
  });
}

sdk::Result<void> SqliteStorage::saveMergeRequest(const MergeRequestRecord& r) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "save merge request", [&] {
    std::string forge = r.forgeId, repo = r.repository, preferred = r.preferredMethod, pinned = r.pinnedSha,
                method = r.commandMethod, requester = r.requester, requesterId = r.requesterId, mergedSha = r.mergedSha,
                mergedMethod = r.mergedMethod, mergedBy = r.mergedBy;
    std::int64_t number = r.number, autoMerge = r.autoMerge ? 1 : 0, comment = r.commentId, requestedAt = r.requestedAt,
                 mergedAt = r.mergedAt, updated = r.updatedAt;
    *session_ << "INSERT INTO merge_requests (forge_id, repository, number, auto_merge, preferred_method, pinned_sha, "
                 "command_method, requester, requester_id, comment_id, requested_at, merged_sha, merged_method, "
                 "merged_by, merged_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (forge_id, repository, number) DO UPDATE SET auto_merge = excluded.auto_merge, "
                 "preferred_method = excluded.preferred_method, pinned_sha = excluded.pinned_sha, "
                 "command_method = excluded.command_method, requester = excluded.requester, "
                 "requester_id = excluded.requester_id, comment_id = excluded.comment_id, "
                 "requested_at = excluded.requested_at, merged_sha = excluded.merged_sha, "
                 "merged_method = excluded.merged_method, merged_by = excluded.merged_by, "
                 "merged_at = excluded.merged_at, updated_at = excluded.updated_at",
        use(forge), use(repo), use(number), use(autoMerge), use(preferred), use(pinned), use(method), use(requester),
        use(requesterId), use(comment), use(requestedAt), use(mergedSha), use(mergedMethod), use(mergedBy),
        use(mergedAt), use(updated), now;
  });
}

sdk::Result<std::vector<MergeRequestRecord>> SqliteStorage::pendingMergeRequests() {
  std::lock_guard lock(mutex_);
  return query<std::vector<MergeRequestRecord>>("pending merge requests", [&] {
    return mergeRequestsWhere("merged_sha = '' AND (auto_merge = 1 OR pinned_sha <> '')", {});
  });
}

sdk::Result<void> SqliteStorage::setApproval(const std::string& forgeId, const std::string& repository,
                                             std::int64_t number, const ApprovalRecord& approval, bool approved) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "record approval", [&] {
    std::string forge = forgeId, repo = repository, reviewer = approval.reviewer, head = approval.headSha;
    std::int64_t n = number, at = approval.at;
    if (approved) {
      *session_ << "INSERT INTO pull_request_approvals (forge_id, repository, number, reviewer, head_sha, approved_at) "
                   "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (forge_id, repository, number, reviewer) DO UPDATE SET "
                   "head_sha = excluded.head_sha, approved_at = excluded.approved_at",
          use(forge), use(repo), use(n), use(reviewer), use(head), use(at), now;
    } else {
      *session_ << "DELETE FROM pull_request_approvals WHERE forge_id = ? AND repository = ? AND number = ? AND "
                   "reviewer = ?",
          use(forge), use(repo), use(n), use(reviewer), now;
    }
  });
}

sdk::Result<std::vector<ApprovalRecord>> SqliteStorage::approvalsOf(const std::string& forgeId,
                                                                    const std::string& repository,
                                                                    std::int64_t number) {
  std::lock_guard lock(mutex_);
  return query<std::vector<ApprovalRecord>>("approvals", [&] {
    std::string forge = forgeId, repo = repository;
    std::int64_t n = number;
    std::vector<std::string> reviewers, heads;
    std::vector<std::int64_t> at;
    *session_ << "SELECT reviewer, head_sha, approved_at FROM pull_request_approvals WHERE forge_id = ? AND "
                 "repository = ? AND number = ? ORDER BY reviewer",
        use(forge), use(repo), use(n), into(reviewers), into(heads), into(at), now;
    std::vector<ApprovalRecord> out(reviewers.size());
    for (std::size_t i = 0; i < reviewers.size(); ++i) out[i] = ApprovalRecord{reviewers[i], heads[i], at[i]};
    return out;
  });
}

sdk::Result<void> SqliteStorage::replaceMetaMaintainers(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& attrs, std::int64_t at) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "record package maintainers", [&] {
    std::vector<std::string> attrColumn, loginColumn;
    std::vector<std::int64_t> atColumn;
    for (const auto& [attr, logins] : attrs) {
      std::string a = attr;
      *session_ << "DELETE FROM attr_maintainers WHERE attr_path = ? AND source = 'meta'", use(a), now;
      for (const auto& login : logins) {
        attrColumn.push_back(attr);
        loginColumn.push_back(login);
        atColumn.push_back(at);
      }
    }
    if (attrColumn.empty()) return;
    *session_ << "INSERT INTO attr_maintainers (attr_path, login, source, added_at) VALUES (?, ?, 'meta', ?) "
                 "ON CONFLICT DO NOTHING",
        use(attrColumn), use(loginColumn), use(atColumn), now;
  });
}

sdk::Result<bool> SqliteStorage::setAdminMaintainer(const std::string& attr, const std::string& login, bool present,
                                                    std::int64_t at) {
  std::lock_guard lock(mutex_);
  return inTransaction<bool>(*session_, "set package maintainer", [&] {
    std::string a = attr, l = login;
    std::int64_t before = 0, after = 0;
    auto count = [&](std::int64_t& into_) {
      *session_ << "SELECT COUNT(*) FROM attr_maintainers WHERE attr_path = ? AND login = ? AND source = 'admin'",
          use(a), use(l), into(into_), now;
    };
    count(before);
    if (present) {
      *session_ << "INSERT INTO attr_maintainers (attr_path, login, source, added_at) VALUES (?, ?, 'admin', ?) "
                   "ON CONFLICT DO NOTHING",
          use(a), use(l), use(at), now;
    } else {
      *session_ << "DELETE FROM attr_maintainers WHERE attr_path = ? AND login = ? AND source = 'admin'", use(a),
          use(l), now;
    }
    count(after);
    return before != after;
  });
}

sdk::Result<std::vector<Storage::MaintainerRow>> SqliteStorage::maintainersOf(const std::vector<std::string>& attrs) {
  std::lock_guard lock(mutex_);
  return query<std::vector<MaintainerRow>>("package maintainers", [&] {
    std::vector<MaintainerRow> out;
    auto collect = [&](Poco::Data::Statement& select) {
      std::vector<std::string> a, l, s;
      select, into(a), into(l), into(s);
      select.execute();
      for (std::size_t i = 0; i < a.size(); ++i) out.push_back(MaintainerRow{a[i], l[i], s[i]});
    };
    if (attrs.empty()) {
      Poco::Data::Statement select(*session_);
      select << "SELECT attr_path, login, source FROM attr_maintainers ORDER BY attr_path, login, source";
      collect(select);
      return out;
    }
    for (const auto& attr : attrs) {
      Poco::Data::Statement select(*session_);
      select << "SELECT attr_path, login, source FROM attr_maintainers WHERE attr_path = ? ORDER BY login, source",
          useRef(attr);
      collect(select);
    }
    return out;
  });
}

}  // namespace ekaci::storage
