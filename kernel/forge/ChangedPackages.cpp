#include "kernel/forge/ChangedPackages.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace ekaci::forge {
namespace {

const char* reasonOf(const review::PackageChange& change) {
  switch (change.change) {
    case review::ChangeClass::Added:
      return "added";
    case review::ChangeClass::VersionBump:
      return "version-bump";
    case review::ChangeClass::Renamed:
      return "renamed";
    case review::ChangeClass::RebuildOnly:
      return change.rebuild && !change.dependencyRebuilt ? "rebuild" : nullptr;
    case review::ChangeClass::Removed:
    case review::ChangeClass::Unchanged:
      return nullptr;
  }
  return nullptr;
}

}  // namespace

std::vector<ChangedPackage> ChangedPackages::of(const review::ReviewReport& report) {
  std::map<std::string, ChangedPackage> byAttr;
  std::map<std::string, std::set<std::string>> maintainers;
  for (const auto& job : report.jobs) {
    for (const auto& change : job.changes) {
      const char* why = reasonOf(change);
      if (why == nullptr) continue;
      auto& package = byAttr[change.attr];
      package.attr = change.attr;
      if (package.why.empty()) package.why = why;
      if (change.change != review::ChangeClass::Added) {
        maintainers[change.attr].insert(change.oldMaintainers.begin(), change.oldMaintainers.end());
      }
    }
  }
  std::vector<ChangedPackage> out;
  for (auto& [attr, package] : byAttr) {
    const auto& names = maintainers[attr];
    package.maintainers.assign(names.begin(), names.end());
    out.push_back(std::move(package));
  }
  return out;
}

std::vector<std::pair<std::string, std::vector<std::string>>> ChangedPackages::baseMaintainers(
    const review::ReviewReport& report) {
  std::map<std::string, std::set<std::string>> byAttr;
  for (const auto& job : report.jobs) {
    for (const auto& change : job.changes) {
      if (change.change == review::ChangeClass::Added || change.baseDrvPath.empty()) continue;
      const std::string& attr = change.change == review::ChangeClass::Renamed ? change.oldAttr : change.attr;
      byAttr[attr].insert(change.oldMaintainers.begin(), change.oldMaintainers.end());
    }
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const auto& [attr, names] : byAttr) out.emplace_back(attr, std::vector<std::string>(names.begin(), names.end()));
  return out;
}

std::string ChangedPackages::encode(const std::vector<ChangedPackage>& packages) {
  Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
  for (const auto& package : packages) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("attr", package.attr);
    o->set("why", package.why);
    Poco::JSON::Array::Ptr names = new Poco::JSON::Array;
    for (const auto& name : package.maintainers) names->add(name);
    o->set("maintainers", names);
    array->add(o);
  }
  std::ostringstream out;
  array->stringify(out);
  return out.str();
}

sdk::Result<std::vector<ChangedPackage>> ChangedPackages::decode(const std::string& json) {
  try {
    Poco::JSON::Parser parser;
    auto array = parser.parse(json.empty() ? "[]" : json).extract<Poco::JSON::Array::Ptr>();
    std::vector<ChangedPackage> out;
    for (std::size_t i = 0; array && i < array->size(); ++i) {
      auto o = array->getObject(static_cast<unsigned>(i));
      if (!o) continue;
      ChangedPackage package;
      package.attr = o->optValue<std::string>("attr", "");
      package.why = o->optValue<std::string>("why", "");
      if (auto names = o->getArray("maintainers")) {
        for (std::size_t j = 0; j < names->size(); ++j)
          package.maintainers.push_back(names->getElement<std::string>(static_cast<unsigned>(j)));
      }
      out.push_back(std::move(package));
    }
    return out;
  } catch (const Poco::Exception& e) {
    return sdk::Error(sdk::ErrorCode::StorageQuery, "stored changed packages are not JSON: " + e.displayText());
  }
}

}  // namespace ekaci::forge
