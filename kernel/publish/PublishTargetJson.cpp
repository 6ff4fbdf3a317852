#include "kernel/publish/PublishTargetJson.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace ekaci::publish {
namespace {

Poco::JSON::Array::Ptr strings(const std::vector<std::string>& items) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& item : items) out->add(item);
  return out;
}

Poco::JSON::Array::Ptr hooks(const std::vector<config::HookConfig>& list) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& hook : list) {
    Poco::JSON::Object::Ptr entry = new Poco::JSON::Object;
    entry->set("name", hook.name);
    entry->set("command", strings(hook.command));
    Poco::JSON::Array::Ptr env = new Poco::JSON::Array;
    for (const auto& [name, value] : hook.env) env->add(strings({name, value}));
    entry->set("env", env);
    out->add(entry);
  }
  return out;
}

std::vector<std::string> stringsOf(const Poco::JSON::Array::Ptr& array) {
  std::vector<std::string> out;
  if (array.isNull()) return out;
  for (std::size_t i = 0; i < array->size(); ++i) out.push_back(array->getElement<std::string>(i));
  return out;
}

std::vector<config::HookConfig> hooksOf(const Poco::JSON::Array::Ptr& array) {
  std::vector<config::HookConfig> out;
  if (array.isNull()) return out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    auto entry = array->getObject(i);
    if (entry.isNull()) continue;
    config::HookConfig hook;
    hook.name = entry->getValue<std::string>("name");
    hook.command = stringsOf(entry->getArray("command"));
    if (auto env = entry->getArray("env"); !env.isNull()) {
      for (std::size_t j = 0; j < env->size(); ++j) {
        auto pair = stringsOf(env->getArray(j));
        if (pair.size() == 2) hook.env.emplace_back(pair[0], pair[1]);
      }
    }
    out.push_back(std::move(hook));
  }
  return out;
}

}  // namespace

std::string PublishTargetJson::encode(const PublishTarget& target) {
  Poco::JSON::Object root;
  root.set("repository", target.repository);
  root.set("branch", target.branch);
  root.set("commit", target.commitSha);
  root.set("job", target.jobName);
  root.set("caches", strings(target.caches));
  root.set("post_build_hooks", hooks(target.postBuildHooks));
  root.set("fod_post_build_hooks", hooks(target.fodPostBuildHooks));
  std::ostringstream out;
  root.stringify(out);
  return out.str();
}

sdk::Result<PublishTarget> PublishTargetJson::decode(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    PublishTarget target;
    target.repository = root->getValue<std::string>("repository");
    target.branch = root->getValue<std::string>("branch");
    target.commitSha = root->getValue<std::string>("commit");
    target.jobName = root->getValue<std::string>("job");
    target.caches = stringsOf(root->getArray("caches"));
    target.postBuildHooks = hooksOf(root->getArray("post_build_hooks"));
    target.fodPostBuildHooks = hooksOf(root->getArray("fod_post_build_hooks"));
    return target;
  } catch (const std::exception& e) {
    return sdk::Error(sdk::ErrorCode::StorageQuery,
                      std::string("a stored publish target is not readable: ") + e.what());
  }
}

}  // namespace ekaci::publish
