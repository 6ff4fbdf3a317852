#include "kernel/server/BuildService.h"

#include <fstream>
#include <iterator>

#include <Poco/JSON/Array.h>

#include <chrono>
#include <filesystem>
#include <sstream>

#include "kernel/nix/BuildLogStore.h"
#include "kernel/server/ClientCommands.h"

namespace ekaci::server {
namespace {

constexpr const char* kStore = "/nix/store/";

std::string stringify(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out);
  return out.str();
}

bool validName(const std::string& name) {
  if (name.size() < 38 || name.size() > 250 || name.compare(name.size() - 4, 4, ".drv") != 0) return false;
  if (!nix::BuildLogStore::drvHash(name)) return false;
  for (char c : name) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '+' ||
                    c == '?' || c == '=';
    if (!ok) return false;
  }
  return name.find("..") == std::string::npos;
}

std::string okResponse(const std::string& resultJson) {
  return R"({"ok":true,"result":)" + resultJson + "}";
}

}  // namespace

sdk::Result<std::string> BuildService::drvPathOf(const std::string& drv) {
  std::string name = drv;
  if (name.rfind(kStore, 0) == 0) name = name.substr(std::string(kStore).size());
  if (!validName(name)) {
    return sdk::Error(
        sdk::ErrorCode::InvalidArgument,
        "not a derivation: '" + drv.substr(0, 120) + "' (expected <hash>-<name>.drv or /nix/store/<hash>-<name>.drv)");
  }
  return kStore + name;
}

sdk::Result<std::string> BuildService::derivationJson(const std::string& drv) const {
  auto path = drvPathOf(drv);
  if (!path) return path.error();
  auto stored = storage_.drvStatus(*path);
  if (!stored) return stored.error();
  if (!*stored) return sdk::Error(sdk::ErrorCode::NotFound, "eka-ci never scheduled " + *path);
  Poco::JSON::Object o;
  o.set("drv_path", *path);
  o.set("state", (*stored)->state);
  o.set("attempt", (*stored)->attempt);
  o.set("detail", (*stored)->detail);
  o.set("updated_at", (*stored)->updatedAt);
  if ((*stored)->failureExpiresAt > 0) o.set("failure_cached_until", (*stored)->failureExpiresAt);
  if (auto live = scheduler_.derivation(*path)) {
    o.set("builder", live->builder);
    o.set("system", live->system);
    o.set("fixed_output", live->fixedOutput);
    o.set("waiting_jobsets", live->waitingJobsets);
  }
  const auto hash = *nix::BuildLogStore::drvHash(*path);
  o.set("log_url", "/logs/" + hash);
  Poco::JSON::Array::Ptr events = new Poco::JSON::Array;
  auto history = storage_.buildEvents((*stored)->drvId);
  if (!history) return history.error();
  for (const auto& e : *history) {
    Poco::JSON::Object::Ptr event = new Poco::JSON::Object;
    event->set("state", e.state);
    event->set("attempt", e.attempt);
    event->set("detail", e.detail);
    event->set("at", e.at);
    events->add(event);
  }
  o.set("events", events);
  return stringify(o);
}

sdk::Result<std::string> BuildService::jobsetJson(std::int64_t jobsetId) const {
  auto record = storage_.findBuildJobset(jobsetId);
  if (!record) return record.error();
  if (!*record) return sdk::Error(sdk::ErrorCode::NotFound, "jobset " + std::to_string(jobsetId) + " was never built");
  Poco::JSON::Object o;
  o.set("jobset_id", jobsetId);
  o.set("state", std::string(storage::toString((*record)->state)));
  o.set("rebuild_count", (*record)->rebuildCount);
  o.set("submitted_at", (*record)->submittedAt);
  if ((*record)->concludedAt > 0) o.set("concluded_at", (*record)->concludedAt);
  if (auto live = scheduler_.jobset(jobsetId)) {
    o.set("derivations", live->derivations);
    o.set("finished", live->finished);
  }
  std::vector<std::int64_t> ids;
  for (const auto& root : (*record)->roots) ids.push_back(root.drvId);
  auto states = storage_.drvStatuses(ids);
  if (!states) return states.error();
  Poco::JSON::Array::Ptr roots = new Poco::JSON::Array;
  for (std::size_t i = 0; i < (*record)->roots.size() && i < states->size(); ++i) {
    Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
    root->set("drv_path", (*record)->roots[i].drvPath);
    root->set("counts", (*record)->roots[i].counts);
    root->set("state", (*states)[i].state);
    root->set("detail", (*states)[i].detail);
    roots->add(root);
  }
  o.set("roots", roots);
  return stringify(o);
}

sdk::Result<std::string> BuildService::activeJson(std::size_t limit) const {
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const auto& view : scheduler_.active(limit)) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("drv_path", view.drvPath);
    o->set("state", scheduler::statusName(view.status));
    o->set("attempt", view.attempt);
    o->set("builder", view.builder);
    o->set("system", view.system);
    o->set("fixed_output", view.fixedOutput);
    o->set("detail", view.detail);
    list->add(o);
  }
  Poco::JSON::Object o;
  o.set("builds", list);
  return stringify(o);
}

sdk::Result<std::string> BuildService::log(const std::string& drv) const {
  std::string hash = drv;
  if (!nix::BuildLogStore::validHash(hash)) {
    auto path = drvPathOf(drv);
    if (!path) return path.error();
    hash = *nix::BuildLogStore::drvHash(*path);
  }
  return scheduler_.logs().read(hash);
}

sdk::Result<std::string> BuildService::hookLog(const publish::HookRunner& hooks, const std::string& drv,
                                               const std::string& name) const {
  std::string hash = drv;
  if (!nix::BuildLogStore::validHash(hash)) {
    auto path = drvPathOf(drv);
    if (!path) return path.error();
    hash = *nix::BuildLogStore::drvHash(*path);
  }
  const auto file = hooks.logPathOf(hash, name);
  if (!file) return sdk::Error(sdk::ErrorCode::InvalidArgument, "not a hook name: " + name);
  std::ifstream in(*file, std::ios::binary);
  if (!in) return sdk::Error(sdk::ErrorCode::NotFound, "no log of hook " + name + " for " + hash);
  constexpr std::streamoff kMax = std::streamoff{4} << 20;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(size > kMax ? size - kMax : 0);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text;
}

sdk::Result<std::int64_t> BuildService::submit(const std::vector<std::string>& drvPaths, bool forgetFailures) {
  if (drvPaths.empty()) return sdk::Error(sdk::ErrorCode::InvalidArgument, "no derivations to build");
  scheduler::JobsetBuildRequest request;
  for (const auto& drv : drvPaths) {
    auto path = drvPathOf(drv);
    if (!path) return path.error();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*path, ec)) {
      return sdk::Error(sdk::ErrorCode::NotFound, *path + " is not in the Nix store");
    }
    request.roots.push_back({0, *path, true});
  }
  auto repository = storage_.upsertRepository({0, "local", "ad-hoc", "builds", "", "main"});
  if (!repository) return repository.error();
  const auto stamp =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto commit =
      storage_.upsertCommit(*repository, "build-" + std::to_string(stamp) + "-" + std::to_string(++adHocCounter_));
  if (!commit) return commit.error();
  storage::JobsetRecord jobset;
  jobset.repositoryId = *repository;
  jobset.commitId = *commit;
  jobset.jobName = "ad-hoc";
  jobset.evalState = storage::EvalState::Succeeded;
  auto id = storage_.createJobset(jobset);
  if (!id) return id.error();
  request.jobsetId = *id;
  request.rebuildCount = static_cast<std::int64_t>(request.roots.size());
  request.forgetFailures = forgetFailures;
  if (auto submitted = scheduler_.submit(request); !submitted) return submitted.error();
  return *id;
}

bool BuildService::handles(const std::string& command) {
  return command == "builds" || command == "build" || command == "jobset" || command == "logs" ||
         command == "derivation";
}

std::string BuildService::handle(const std::string& command, const Poco::JSON::Object& request) {
  auto fail = [](const sdk::Error& e) { return ClientCommands::errorResponse(e.code(), e.message()); };
  auto stringField = [&](const char* name) -> sdk::Result<std::string> {
    if (!request.has(name) || !request.get(name).isString()) {
      return sdk::Error(sdk::ErrorCode::ProtocolMalformed,
                        std::string("'") + command + "' needs a string '" + name + "'");
    }
    return request.getValue<std::string>(name);
  };
  if (command == "builds") {
    auto json = activeJson(1000);
    return json ? okResponse(*json) : fail(json.error());
  }
  if (command == "derivation") {
    auto drv = stringField("drv");
    if (!drv) return fail(drv.error());
    auto json = derivationJson(*drv);
    return json ? okResponse(*json) : fail(json.error());
  }
  if (command == "logs") {
    auto drv = stringField("drv");
    if (!drv) return fail(drv.error());
    auto text = log(*drv);
    if (!text) return fail(text.error());
    Poco::JSON::Object o;
    o.set("log", *text);
    return okResponse(stringify(o));
  }
  if (command == "jobset") {
    if (!request.has("id") || !request.get("id").isInteger()) {
      return fail(sdk::Error(sdk::ErrorCode::ProtocolMalformed, "'jobset' needs an integer 'id'"));
    }
    auto json = jobsetJson(request.getValue<std::int64_t>("id"));
    return json ? okResponse(*json) : fail(json.error());
  }
  // build
  auto list = request.getArray("drvs");
  if (list.isNull() || list->size() == 0 || list->size() > 10000) {
    return fail(
        sdk::Error(sdk::ErrorCode::ProtocolMalformed, "'build' needs a non-empty array 'drvs' (at most 10000)"));
  }
  std::vector<std::string> drvs;
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (!list->get(static_cast<unsigned>(i)).isString()) {
      return fail(sdk::Error(sdk::ErrorCode::ProtocolMalformed, "'drvs' holds strings only"));
    }
    drvs.push_back(list->getElement<std::string>(static_cast<unsigned>(i)));
  }
  bool rebuild = false;
  if (request.has("rebuild")) {
    if (!request.get("rebuild").isBoolean()) {
      return fail(sdk::Error(sdk::ErrorCode::ProtocolMalformed, "'rebuild' is true or false"));
    }
    rebuild = request.getValue<bool>("rebuild");
  }
  auto id = submit(drvs, rebuild);
  if (!id) return fail(id.error());
  return okResponse(R"({"jobset_id":)" + std::to_string(*id) + "}");
}

}  // namespace ekaci::server
