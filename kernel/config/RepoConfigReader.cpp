#include "kernel/config/RepoConfigReader.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "kernel/config/Diagnostics.h"
#include "kernel/config/Environment.h"
#include "kernel/config/HookAllowList.h"
#include "kernel/config/SettingsValidator.h"

namespace ekaci::config {
namespace {
using namespace sdk::settings;

sdk::Setting hookList(std::string name, std::string doc) {
  sdk::Setting command = stringList("command", "Program and arguments; the program must be allowed by the server.");
  command.required = true;
  command.defaultValue = sdk::Value();
  sdk::Setting env = table("env", {}, "Extra environment variables.");
  env.openTable = true;
  return tableList(std::move(name), {requiredString("name", "Hook name, used in logs."), command, env}, std::move(doc));
}

sdk::SettingsSchema repoSchema() {
  sdk::Setting evaluator = string("evaluator", std::nullopt,
                                  "Evaluator plugin type: legacy, flake-checks, or another loaded evaluator "
                                  "(default: flake-checks for flake.nix, else legacy).");
  sdk::Setting attrPath = string("attr_path", std::nullopt, "Sub-attribute to evaluate.");
  return {
      tableMap("jobs",
               {requiredString("file", "Nix file, relative to the repository root."), attrPath, evaluator,
                boolean("allow_eval_failures", false, "Evaluation errors do not fail the check."),
                stringList("caches", "Server cache ids to push successful builds to."),
                table("size_check",
                      {number("max_increase_percent", std::nullopt, "Warn above this increase."),
                       string("base_branch", "main", "Branch to compare against.")},
                      "Output and closure size monitoring."),
                hookList("post_build_hooks", "Commands run after every successful build."),
                hookList("fod_post_build_hooks", "Commands run after successful fixed-output builds.")},
               "Nix expressions to evaluate and build."),
      tableMap("checks",
               {string("shell", std::nullopt, "Shell derivation providing the tools."),
                requiredString("command", "Command to run in the sandbox."),
                boolean("allow_network", false, "Allow network access."),
                stringList("ro_bind", "Extra read-only paths, relative to the repository.")},
               "Sandboxed commands."),
      table("package_change_summary",
            {boolean("enabled", true, "Show the package table."),
             integer("max_packages_listed", 100, 0, 100000, "Rows before collapsing to counts."),
             boolean("include_rebuild_only", false, "List rebuild-only packages too.")},
            "Package change summary."),
      table("rebuild_impact",
            {boolean("enabled", true, "Show rebuild impact."),
             integer("max_top_blast_radius", 5, 0, 10000, "Packages with the largest blast radius to list."),
             boolean("compute_full_blast_radius", false, "Count all transitive dependents.")},
            "Rebuild impact."),
      tableList(
          "change_sets",
          {[] {
             sdk::Setting paths = stringList("paths", "Globs of changed files.");
             paths.required = true;
             paths.defaultValue = sdk::Value();
             return paths;
           }(),
           choice("kind", {"docs-only", "no-op", "rebuild-only", "full"}, std::nullopt, "What such a change is.")},
          "File globs that say what a change is, decided from the git diff alone."),
  };
}

// Nesting depth of JSON text, counted without parsing (so that hostile input cannot
// exhaust the parser's stack).
int nestingDepth(const std::string& text) {
  int depth = 0, deepest = 0;
  bool inString = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        inString = false;
      }
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

sdk::Value convert(const Poco::Dynamic::Var& var, const std::string& sourceName) {
  sdk::Value out;
  if (var.isEmpty()) {
    out = sdk::Value();
  } else if (var.type() == typeid(Poco::JSON::Object::Ptr)) {
    auto object = var.extract<Poco::JSON::Object::Ptr>();
    out = sdk::Value::table();
    for (const auto& key : object->getNames()) out.set(key, convert(object->get(key), sourceName));
  } else if (var.type() == typeid(Poco::JSON::Array::Ptr)) {
    auto array = var.extract<Poco::JSON::Array::Ptr>();
    out = sdk::Value::array();
    for (std::size_t i = 0; i < array->size(); ++i) out.push(convert(array->get(static_cast<unsigned>(i)), sourceName));
  } else if (var.isBoolean()) {
    out = sdk::Value::boolean(var.extract<bool>());
  } else if (var.isInteger()) {
    out = sdk::Value::integer(var.convert<std::int64_t>());
  } else if (var.isNumeric()) {
    out = sdk::Value::floating(var.convert<double>());
  } else {
    out = sdk::Value::string(var.toString());  // strings, and anything else as its text
  }
  out.setLocation(sdk::SourceLocation{sourceName, 0, 0});
  return out;
}

// Resolves `written` inside `checkout`: "pkgs/a.nix" and "/pkgs/a.nix" (Eka CI's spelling: a
// leading '/' is the repository root) are the same file; "..", and symlinks that lead outside
// are refused. Returns the normalised relative path.
sdk::Result<std::string> insideCheckout(const std::filesystem::path& checkout, const std::string& written,
                                        const std::string& field) {
  if (written.find('\0') != std::string::npos) {
    return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, field + ": path contains a NUL byte");
  }
  const std::string relative = written.substr(std::min(written.find_first_not_of('/'), written.size()));
  if (relative.empty()) {
    return sdk::Error(sdk::ErrorCode::ConfigInvalidValue,
                      field + ": '" + written + "' names no file (paths are relative to the repository root)");
  }
  std::filesystem::path p(relative);
  for (const auto& part : p) {
    if (part == "..") {
      return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, field + ": '" + written + "' contains '..'");
    }
  }
  std::error_code ec;
  const auto root = std::filesystem::canonical(checkout, ec);
  if (ec) return sdk::Error(sdk::ErrorCode::IoError, "cannot resolve the checkout: " + ec.message());
  const auto resolved = std::filesystem::weakly_canonical(root / p, ec);
  if (ec) return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, field + ": cannot resolve '" + written + "'");
  const auto rootText = root.string() + "/";
  if (resolved.string().rfind(rootText, 0) != 0) {
    return sdk::Error(sdk::ErrorCode::ConfigInvalidValue,
                      field + ": '" + written + "' leads outside the repository (through a symlink)");
  }
  return resolved.string().substr(rootText.size());
}

std::vector<HookConfig> hooksOf(const sdk::Value* list) {
  std::vector<HookConfig> out;
  if (list == nullptr) return out;
  for (const auto& item : list->items()) {
    HookConfig hook;
    hook.name = item.find("name") ? item.find("name")->asString() : "";
    if (const sdk::Value* command = item.find("command")) hook.command = command->asStringList();
    if (const sdk::Value* env = item.find("env")) {
      for (std::size_t i = 0; i < env->size(); ++i) hook.env.emplace_back(env->keys()[i], env->items()[i].asString());
    }
    out.push_back(std::move(hook));
  }
  return out;
}

ChangeKind changeKindFrom(const std::string& text) {
  if (text == "docs-only") return ChangeKind::DocsOnly;
  if (text == "no-op") return ChangeKind::NoOp;
  if (text == "rebuild-only") return ChangeKind::RebuildOnly;
  return ChangeKind::Full;
}

// The job a repository without a configured one gets: default.nix, release.nix or the
// flake's checks, the first that exists.
std::vector<JobConfig> defaultJobs(const std::filesystem::path& checkout) {
  for (const auto& [file, evaluator] : {std::pair{"default.nix", "legacy"}, std::pair{"release.nix", "legacy"},
                                        std::pair{"flake.nix", "flake-checks"}}) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(checkout / file, ec)) continue;
    if (!insideCheckout(checkout, file, "default job")) continue;
    JobConfig job;
    job.name = std::string(file).substr(0, std::string(file).find('.'));
    job.file = file;
    job.evaluator = evaluator;
    return {job};
  }
  return {};
}

}  // namespace

sdk::Result<sdk::Value> RepoConfigReader::jsonToValue(const std::string& text, const std::string& sourceName) {
  if (text.size() > kMaxBytes) {
    return sdk::Error(sdk::ErrorCode::ConfigInvalidValue,
                      sourceName + " is " + std::to_string(text.size()) + " bytes, over the 1 MiB limit");
  }
  if (nestingDepth(text) > kMaxDepth) {
    return sdk::Error(sdk::ErrorCode::ConfigInvalidValue,
                      sourceName + " nests deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    return convert(parser.parse(text), sourceName);
  } catch (const Poco::Exception& e) {
    return sdk::Error(sdk::ErrorCode::ConfigParse, sourceName + " is not valid JSON: " + e.message());
  } catch (const std::exception& e) {
    return sdk::Error(sdk::ErrorCode::ConfigParse, sourceName + " is not valid JSON: " + e.what());
  }
}

sdk::Result<RepoConfig> RepoConfigReader::read(const std::filesystem::path& checkout) const {
  for (const char* candidate : {".ekaci/config.json", ".eka-ci/config.json"}) {
    std::error_code ec;
    const auto path = checkout / candidate;
    if (!std::filesystem::exists(std::filesystem::symlink_status(path, ec))) continue;
    auto inside = insideCheckout(checkout, candidate, candidate);
    if (!inside) return std::move(inside).error();
    if (!std::filesystem::is_regular_file(path, ec)) {
      return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, std::string(candidate) + " is not a regular file");
    }
    const auto size = std::filesystem::file_size(path, ec);
    if (size > kMaxBytes) {
      return sdk::Error(sdk::ErrorCode::ConfigInvalidValue,
                        std::string(candidate) + " is " + std::to_string(size) + " bytes, over the 1 MiB limit");
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), candidate, checkout);
  }
  RepoConfig config;
  config.jobs = defaultJobs(checkout);
  if (config.jobs.empty()) {
    return sdk::Error(
        sdk::ErrorCode::NotFound,
        "no .ekaci/config.json, .eka-ci/config.json, default.nix, release.nix or flake.nix in the repository");
  }
  return config;
}

sdk::Result<RepoConfig> RepoConfigReader::parse(const std::string& text, const std::string& sourceName,
                                                const std::filesystem::path& checkout) const {
  auto root = jsonToValue(text, sourceName);
  if (!root) return std::move(root).error();
  if (!root->isTable()) return sdk::Error(sdk::ErrorCode::ConfigWrongType, sourceName + " must be a JSON object");

  Diagnostics diagnostics;
  Environment none;
  SettingsValidator(none, diagnostics).validateTable(repoSchema(), *root, "");
  RepoConfig config;
  config.sourceFile = sourceName;
  Diagnostics errors;
  for (const auto& entry : diagnostics.entries()) {
    if (entry.code == sdk::ErrorCode::ConfigUnknownKey) {
      config.warnings.push_back(sourceName + ": " + entry.message);
    } else {
      errors.add(entry.code, entry.location, entry.key, entry.message);
    }
  }
  auto fail = [&](sdk::ErrorCode code, const std::string& key, const std::string& message) {
    errors.add(code, sdk::SourceLocation{sourceName, 0, 0}, key, message);
  };
  if (!errors.ok()) return errors.toError();

  const sdk::Value* jobs = root->find("jobs");
  if (jobs != nullptr && jobs->size() > policy_.maxJobs) {
    // Every job is a full evaluation of base and head: a pull request cannot multiply them.
    fail(sdk::ErrorCode::ConfigInvalidValue, "jobs",
         std::to_string(jobs->size()) + " jobs; this server evaluates at most " + std::to_string(policy_.maxJobs) +
             " per repository (max_jobs_per_config)");
    return errors.toError();
  }
  for (std::size_t i = 0; jobs != nullptr && i < jobs->size(); ++i) {
    const std::string& name = jobs->keys()[i];
    const sdk::Value& block = jobs->items()[i];
    const std::string key = "jobs." + name;
    JobConfig job;
    job.name = name;
    auto file = insideCheckout(checkout, block.find("file")->asString(), key + ".file");
    if (!file) {
      fail(file.error().code(), key + ".file", file.error().message());
    } else {
      job.file = *file;
      std::error_code ec;
      if (!std::filesystem::is_regular_file(checkout / job.file, ec)) {
        fail(sdk::ErrorCode::ConfigInvalidValue, key + ".file", "'" + job.file + "' is not a file in the repository");
      }
    }
    if (const sdk::Value* attr = block.find("attr_path")) {
      job.attrPath = attr->asString();
      for (char c : job.attrPath) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == '\'')) {
          fail(sdk::ErrorCode::ConfigInvalidValue, key + ".attr_path",
               "'" + job.attrPath + "' is not an attribute path (letters, digits, '.', '_', '-', ''')");
          break;
        }
      }
    }
    if (const sdk::Value* evaluator = block.find("evaluator"); evaluator != nullptr && evaluator->isString()) {
      job.evaluator = evaluator->asString();
      const bool plain = !job.evaluator.empty() && job.evaluator.size() <= 64 &&
                         std::all_of(job.evaluator.begin(), job.evaluator.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
                         });
      if (!plain) {
        fail(sdk::ErrorCode::ConfigInvalidValue, key + ".evaluator", "'" + job.evaluator + "' is not a plugin type");
      }
    } else {
      job.evaluator = std::filesystem::path(job.file).filename() == "flake.nix" ? "flake-checks" : "legacy";
    }
    job.allowEvalFailures = block.find("allow_eval_failures")->asBool();
    // A cache the server does not define is skipped with a warning (the manual's rule): the
    // review and the builds go on, only that push does not happen.
    for (const auto& cache : block.find("caches")->asStringList()) {
      if (std::find(policy_.cacheIds.begin(), policy_.cacheIds.end(), cache) == policy_.cacheIds.end()) {
        config.warnings.push_back(sourceName + ": [" + key + ".caches] unknown cache id '" + cache +
                                  "': the server defines no [[caches]] block with that id; pushes to it are skipped");
      } else {
        job.caches.push_back(cache);
      }
    }
    if (const sdk::Value* size = block.find("size_check")) {
      if (size->find("max_increase_percent") != nullptr) {
        job.sizeCheck =
            SizeCheckConfig{size->find("max_increase_percent")->asFloat(), size->find("base_branch")->asString()};
      }
    }
    job.postBuildHooks = hooksOf(block.find("post_build_hooks"));
    job.fodPostBuildHooks = hooksOf(block.find("fod_post_build_hooks"));
    for (const auto* hooks : {&job.postBuildHooks, &job.fodPostBuildHooks}) {
      for (const auto& hook : *hooks) {
        const std::string program = hook.command.empty() ? "" : hook.command.front();
        if (!HookAllowList::allows(policy_.allowedHookCommands, program)) {
          fail(sdk::ErrorCode::PermissionDenied, key + " hook '" + hook.name + "'",
               "command '" + program + "' is not allowed by the server (security.allowed_hook_commands)");
        }
      }
    }
    config.jobs.push_back(std::move(job));
  }

  const sdk::Value* checks = root->find("checks");
  for (std::size_t i = 0; checks != nullptr && i < checks->size(); ++i) {
    const sdk::Value& block = checks->items()[i];
    CheckConfig check;
    check.name = checks->keys()[i];
    if (const sdk::Value* shell = block.find("shell")) check.shell = shell->asString();
    check.command = block.find("command")->asString();
    check.allowNetwork = block.find("allow_network")->asBool();
    for (const auto& bind : block.find("ro_bind")->asStringList()) {
      auto inside = insideCheckout(checkout, bind, "checks." + check.name + ".ro_bind");
      if (!inside) {
        fail(inside.error().code(), "checks." + check.name + ".ro_bind", inside.error().message());
      } else {
        check.roBind.push_back(*inside);
      }
    }
    config.checks.push_back(std::move(check));
  }

  const sdk::Value* summary = root->find("package_change_summary");
  config.packageChangeSummary =
      PackageChangeSummaryConfig{summary->find("enabled")->asBool(), summary->find("max_packages_listed")->asInteger(),
                                 summary->find("include_rebuild_only")->asBool()};
  const sdk::Value* impact = root->find("rebuild_impact");
  config.rebuildImpact =
      RebuildImpactConfig{impact->find("enabled")->asBool(), impact->find("max_top_blast_radius")->asInteger(),
                          impact->find("compute_full_blast_radius")->asBool()};
  if (const sdk::Value* sets = root->find("change_sets")) {
    for (const auto& rule : sets->items()) {
      config.changeSets.push_back(
          ChangeSetRule{rule.find("paths")->asStringList(), changeKindFrom(rule.find("kind")->asString())});
    }
  }
  for (const auto& check : config.checks) {
    config.warnings.push_back(sourceName + ": [checks." + check.name +
                              "] checks are not run by this version of eka-ci; only jobs are evaluated and built");
  }
  if (config.jobs.empty()) {
    config.jobs = defaultJobs(checkout);
    config.warnings.push_back(
        sourceName + ": defines no jobs; " +
        (config.jobs.empty()
             ? std::string("the repository has no default.nix, release.nix or flake.nix, so nothing is evaluated")
             : "evaluating the default job (" + config.jobs.front().file + ")"));
  }
  if (!errors.ok()) return errors.toError();
  return config;
}

}  // namespace ekaci::config
