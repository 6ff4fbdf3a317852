#include "kernel/config/ForgeBlocks.h"

namespace ekaci::config {

const std::vector<ForgeBlocks::Block>& ForgeBlocks::all() {
  static const std::vector<Block> kBlocks = {
      {"github_apps",
       "github",
       "apps",
       "",
       {"GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY"},
       {{"api_url", "GITHUB_API_URL"}},
       "",
       "",
       {}},
      {"gitea_instances",
       "gitea",
       "",
       "domain",
       {"GITEA_TOKEN", "GITEA_DOMAIN"},
       {{"domain", "GITEA_DOMAIN"}, {"token", "GITEA_TOKEN"}},
       "token",
       "GITEA_TOKEN",
       {"token", "credentials"}},
      {"gitlab_instances",
       "gitlab",
       "",
       "domain",
       {"GITLAB_TOKEN", "GITLAB_DOMAIN"},
       {{"domain", "GITLAB_DOMAIN"}, {"token", "GITLAB_TOKEN"}},
       "token",
       "GITLAB_TOKEN",
       {"token", "credentials"}},
  };
  return kBlocks;
}

std::vector<std::string> ForgeBlocks::documentedTypes() {
  std::vector<std::string> out;
  for (const auto& block : all()) out.push_back(block.forgeType);
  return out;
}

std::vector<ForgeInstanceConfig> ForgeBlocks::translate(const sdk::Value& root, const Environment& environment,
                                                        Diagnostics& diagnostics) {
  std::vector<ForgeInstanceConfig> out;
  for (const auto& block : all()) {
    const sdk::Value* list = root.find(block.name);
    std::vector<sdk::Value> tables;
    if (list != nullptr) {
      for (const auto& item : list->items()) tables.push_back(item);
    }
    const sdk::SourceLocation where = list != nullptr ? list->location() : sdk::SourceLocation{"environment", 0, 0};
    if (tables.empty()) {
      bool complete = !block.required.empty();
      for (const auto& variable : block.required) complete = complete && environment.nonEmpty(variable).has_value();
      if (!complete) continue;
      sdk::Value table = sdk::Value::table();
      if (!block.gatherInto.empty()) table.set("id", sdk::Value::string("default"));
      for (const auto& [setting, variable] : block.settings) {
        if (auto value = environment.nonEmpty(variable)) table.set(setting, sdk::Value::string(*value));
      }
      table.setLocation(where);
      tables.push_back(std::move(table));
    } else if (tables.size() == 1 && !block.loneSetting.empty()) {
      bool free = true;
      for (const auto& key : block.loneUnless) free = free && tables.front().find(key) == nullptr;
      if (auto value = environment.nonEmpty(block.loneVariable); free && value) {
        tables.front().set(block.loneSetting, sdk::Value::string(*value));
      }
    }
    if (!block.gatherInto.empty()) {
      ForgeInstanceConfig instance;
      instance.id = block.forgeType;
      instance.type = block.forgeType;
      instance.settings = sdk::Value::table();
      sdk::Value entries = sdk::Value::array();
      for (auto& table : tables) entries.push(std::move(table));
      instance.settings.set(block.gatherInto, std::move(entries));
      instance.location = where;
      instance.origin = block.name;
      instance.gathered = block.gatherInto;
      out.push_back(std::move(instance));
      continue;
    }
    for (std::size_t i = 0; i < tables.size(); ++i) {
      ForgeInstanceConfig instance;
      instance.type = block.forgeType;
      instance.location = tables[i].location();
      instance.origin = block.name + "[" + std::to_string(i) + "]";
      if (i == 0) {
        instance.id = block.forgeType;
      } else if (const sdk::Value* id = tables[i].find(block.idFrom); id != nullptr && id->isString()) {
        instance.id = id->asString();
      } else {
        diagnostics.add(sdk::ErrorCode::ConfigMissingKey, instance.location, instance.origin + "." + block.idFrom,
                        "every [[" + block.name + "]] block after the first needs '" + block.idFrom +
                            "' (it names the instance: /" + block.forgeType + "/webhook/<" + block.idFrom + ">)");
        continue;
      }
      instance.settings = std::move(tables[i]);
      out.push_back(std::move(instance));
    }
  }
  return out;
}

}  // namespace ekaci::config
