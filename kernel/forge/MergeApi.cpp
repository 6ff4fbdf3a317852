#include "kernel/forge/MergeApi.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <charconv>
#include <sstream>

#include "kernel/forge/ForgeJson.h"

namespace ekaci::forge {
namespace {

std::string stringify(const Poco::JSON::Object::Ptr& o) {
  std::ostringstream out;
  o->stringify(out);
  return out.str();
}

Poco::JSON::Array::Ptr array(const std::vector<std::string>& items) {
  Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
  for (const auto& item : items) a->add(item);
  return a;
}

bool validLogin(const std::string& login) {
  if (login.empty() || login.size() > 39 || login.front() == '-') return false;
  return login.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") ==
         std::string::npos;
}

}  // namespace

std::int64_t MergeApi::nowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
}

sdk::Result<MergeApi::Target> MergeApi::find(const std::string& owner, const std::string& name,
                                             const std::string& number) {
  Target target;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), target.number);
  if (ec != std::errc() || end != number.data() + number.size() || target.number <= 0) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument, "a pull request number is a positive integer");
  }
  auto found = storage_.findPullRequestOf("", owner, name, target.number);
  if (!found) return std::move(found).error();
  if (!*found) {
    return sdk::Error(sdk::ErrorCode::NotFound, "no pull request " + owner + "/" + name + "#" + number + " is known");
  }
  target.listing = **found;
  return target;
}

sdk::Result<std::optional<sdk::MergeMethod>> MergeApi::methodIn(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return std::optional<sdk::MergeMethod>();
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    if (!object || !object->has("merge_method") || object->isNull("merge_method")) {
      return std::optional<sdk::MergeMethod>();
    }
    const std::string name = object->getValue<std::string>("merge_method");
    auto method = ForgeJson::methodOf(name);
    if (!method) {
      return sdk::Error(sdk::ErrorCode::InvalidArgument, "merge_method is one of merge, squash, rebase");
    }
    return std::optional<sdk::MergeMethod>(*method);
  } catch (const std::exception&) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument, "the body is a JSON object {\"merge_method\": …}");
  }
}

sdk::Result<void> MergeApi::authorise(const Target& target, const Actor& actor) {
  if (actor.admin) return sdk::success();
  if (actor.login.empty()) return sdk::Error(sdk::ErrorCode::PermissionDenied, "sign in first");
  const auto& repo = target.listing.repository;
  auto review =
      merger_.reviewOf(repo.forgeId, repo.owner + "/" + repo.name, target.number, target.listing.pullRequest.headSha);
  if (!review) return std::move(review).error();
  sdk::RepositoryRef ref;
  ref.forgeId = repo.forgeId;
  ref.owner = repo.owner;
  ref.name = repo.name;
  ref.cloneUrl = repo.cloneUrl;
  auto decision = authority_.decide(repo.forgeId, ref, actor.login, review->changed);
  if (!decision) return std::move(decision).error();
  if (!decision->allowed) {
    return sdk::Error(sdk::ErrorCode::PermissionDenied, actor.login + " has neither write permission on " + repo.owner +
                                                            "/" + repo.name +
                                                            " nor maintains every package the pull request changes");
  }
  return sdk::success();
}

sdk::Result<storage::MergeRequestRecord> MergeApi::setAutoMerge(const Target& target, bool on,
                                                                std::optional<sdk::MergeMethod> method) {
  const auto& repo = target.listing.repository;
  const std::string repository = repo.owner + "/" + repo.name;
  auto existing = storage_.findMergeRequest(repo.forgeId, repository, target.number);
  if (!existing) return std::move(existing).error();
  storage::MergeRequestRecord record = existing->value_or(storage::MergeRequestRecord{});
  record.forgeId = repo.forgeId;
  record.repository = repository;
  record.number = target.number;
  record.autoMerge = on;
  if (method) record.preferredMethod = ForgeJson::methodName(*method);
  record.updatedAt = nowSeconds();
  if (auto saved = storage_.saveMergeRequest(record); !saved) return std::move(saved).error();
  return record;
}

sdk::Result<std::string> MergeApi::eligibility(const std::string& owner, const std::string& name,
                                               const std::string& number) {
  auto target = find(owner, name, number);
  if (!target) return std::move(target).error();
  auto e = merger_.eligibility(target->listing.repository.forgeId, owner, name, target->number);
  if (!e) return std::move(e).error();
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("eligible", e->eligible);
  o->set("auto_merge_enabled", e->autoMergeEnabled);
  o->set("gates_passed", e->gatesPassed);
  o->set("has_maintainer_approvals", e->hasMaintainerApprovals);
  o->set("changed_packages", array(e->changedPackages));
  o->set("missing_approvals", array(e->missingApprovals));
  o->set("comment_merge_pending", e->commandPending);
  o->set("reviewed", e->reviewed);
  o->set("head_sha", e->headSha);
  o->set("pinned_sha", e->pinnedSha);
  o->set("merge_method", e->method ? ForgeJson::methodName(*e->method) : std::string());
  o->set("reason", e->reason);
  return stringify(o);
}

sdk::Result<std::string> MergeApi::enableAutoMerge(const std::string& owner, const std::string& name,
                                                   const std::string& number, const std::string& body,
                                                   const Actor& actor) {
  auto method = methodIn(body);
  if (!method) return std::move(method).error();
  auto target = find(owner, name, number);
  if (!target) return std::move(target).error();
  if (auto allowed = authorise(*target, actor); !allowed) return std::move(allowed).error();
  const std::string forgeId = target->listing.repository.forgeId;
  auto record = setAutoMerge(*target, true, *method);
  if (!record) return std::move(record).error();
  auto merged = merger_.evaluate(forgeId, owner, name, target->number);
  if (!merged) return std::move(merged).error();
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("auto_merge_enabled", true);
  o->set("merge_method", record->preferredMethod);
  o->set("merged", *merged);
  return stringify(o);
}

sdk::Result<std::string> MergeApi::disableAutoMerge(const std::string& owner, const std::string& name,
                                                    const std::string& number, const Actor& actor) {
  auto target = find(owner, name, number);
  if (!target) return std::move(target).error();
  if (auto allowed = authorise(*target, actor); !allowed) return std::move(allowed).error();
  if (auto record = setAutoMerge(*target, false, std::nullopt); !record) return std::move(record).error();
  return std::string(R"({"auto_merge_enabled":false})");
}

sdk::Result<std::string> MergeApi::merge(const std::string& owner, const std::string& name, const std::string& number,
                                         const std::string& body, const Actor& actor) {
  auto method = methodIn(body);
  if (!method) return std::move(method).error();
  auto target = find(owner, name, number);
  if (!target) return std::move(target).error();
  if (auto allowed = authorise(*target, actor); !allowed) return std::move(allowed).error();
  auto merged = merger_.mergeNow(target->listing.repository.forgeId, owner, name, target->number, *method,
                                 actor.admin && actor.login.empty() ? "admin" : actor.login);
  if (!merged) return std::move(merged).error();
  return std::string(R"({"merged":true})");
}

sdk::Result<std::string> MergeApi::maintainers(const std::string& attr) {
  auto rows = storage_.maintainersOf(attr.empty() ? std::vector<std::string>{} : std::vector<std::string>{attr});
  if (!rows) return std::move(rows).error();
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const auto& row : *rows) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("attr_path", row.attr);
    o->set("login", row.login);
    o->set("source", row.source);
    list->add(o);
  }
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("maintainers", list);
  return stringify(o);
}

sdk::Result<std::string> MergeApi::setMaintainer(const std::string& attr, const std::string& login, bool present) {
  if (attr.empty() || attr.size() > 512 || attr.find_first_of(" \t\r\n\"'\\") != std::string::npos) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument, "not an attribute path: '" + attr.substr(0, 64) + "'");
  }
  if (!validLogin(login)) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument, "not a forge login: '" + login.substr(0, 64) + "'");
  }
  auto changed = storage_.setAdminMaintainer(attr, login, present, nowSeconds());
  if (!changed) return std::move(changed).error();
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("attr_path", attr);
  o->set("login", login);
  o->set("changed", *changed);
  return stringify(o);
}

}  // namespace ekaci::forge
