#include "EvalResultDecoder.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>

namespace ekaci::plugins::evaluators {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string optionalString(const Object::Ptr& object, const std::string& key) {
  if (!object->has(key)) return {};
  const auto& v = object->get(key);
  return v.isString() ? v.toString() : std::string();
}

std::vector<std::string> stringArray(const Object::Ptr& object, const std::string& key) {
  std::vector<std::string> out;
  if (!object->has(key)) return out;
  auto array = object->getArray(key);
  if (array.isNull()) return out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto& v = array->get(static_cast<unsigned>(i));
    if (v.isString()) out.push_back(v.toString());
  }
  return out;
}

bool validStorePath(const std::string& path) { return path.rfind("/nix/store/", 0) == 0 && path.size() > 11; }

void readMeta(const Object::Ptr& object, sdk::PackageMeta& meta) {
  meta.pname = optionalString(object, "pname");
  meta.version = optionalString(object, "version");
  meta.licenses = stringArray(object, "licenses");
  meta.maintainers = stringArray(object, "maintainers");
  meta.tests = stringArray(object, "tests");
}

// The fields, and the names of the fields that failed ("metaErrors", known names only).
void readMeta(const Object::Ptr& object, sdk::PackageMeta& meta, std::vector<std::string>& failed) {
  readMeta(object, meta);
  const auto& known = EvalResultDecoder::fieldNames();
  for (const auto& name : stringArray(object, "metaErrors")) {
    if (std::find(known.begin(), known.end(), name) != known.end()) failed.push_back(name);
  }
}

sdk::Result<EvalResult> decodeObject(const Object::Ptr& object) {
  if (object.isNull()) return sdk::Error(sdk::ErrorCode::InvalidArgument, "result is not an object");
  EvalResult result;
  auto path = object->getArray("path");
  if (path.isNull()) return sdk::Error(sdk::ErrorCode::InvalidArgument, "result without a path");
  for (std::size_t i = 0; i < path->size(); ++i) {
    const auto& name = path->get(static_cast<unsigned>(i));
    if (!name.isString()) return sdk::Error(sdk::ErrorCode::InvalidArgument, "attribute name is not a string");
    result.path.push_back(name.toString());
  }
  result.item.attrPath = EvalResultDecoder::attrPath(result.path);
  const std::string kind = optionalString(object, "kind");
  if (kind == "skip") {
    result.kind = EvalResult::Kind::Skip;
  } else if (kind == "error") {
    result.kind = EvalResult::Kind::Error;
    result.item.error = "evaluation failed";
  } else if (kind == "recurse") {
    result.kind = EvalResult::Kind::Recurse;
    result.names = stringArray(object, "names");
  } else if (kind == "drv") {
    result.kind = EvalResult::Kind::Derivation;
    result.item.drvPath = optionalString(object, "drvPath");
    if (!validStorePath(result.item.drvPath) || result.item.drvPath.size() < 15 ||
        result.item.drvPath.compare(result.item.drvPath.size() - 4, 4, ".drv") != 0) {
      return sdk::Error(sdk::ErrorCode::InvalidArgument, "bad drvPath for " + result.item.attrPath);
    }
    auto outputs = object->getArray("outputs");
    if (outputs.isNull() || outputs->size() == 0) {
      return sdk::Error(sdk::ErrorCode::InvalidArgument, "no outputs for " + result.item.attrPath);
    }
    for (std::size_t i = 0; i < outputs->size(); ++i) {
      auto output = outputs->getObject(static_cast<unsigned>(i));
      if (output.isNull()) return sdk::Error(sdk::ErrorCode::InvalidArgument, "bad output entry");
      std::string name = optionalString(output, "name"), storePath = optionalString(output, "path");
      if (name.empty() || !validStorePath(storePath)) {
        return sdk::Error(sdk::ErrorCode::InvalidArgument, "bad output of " + result.item.attrPath);
      }
      result.item.outputs.emplace_back(name, storePath);
    }
    result.item.system = optionalString(object, "system");
    readMeta(object, result.item.meta, result.metaErrors);
  } else if (kind == "meta") {
    result.kind = EvalResult::Kind::Meta;
    readMeta(object, result.item.meta, result.metaErrors);
  } else if (kind == "field") {
    result.kind = EvalResult::Kind::Field;
    result.field = optionalString(object, "field");
    const auto& known = EvalResultDecoder::fieldNames();
    if (std::find(known.begin(), known.end(), result.field) == known.end()) {
      return sdk::Error(sdk::ErrorCode::InvalidArgument, "unknown metadata field '" + result.field + "'");
    }
    result.fieldFailed = object->has("failed");
    if (!result.fieldFailed && object->has("value")) {
      // The value under the field's own name, so that readMeta reads it like a description.
      Object::Ptr single = new Object;
      single->set(result.field, object->get("value"));
      readMeta(single, result.item.meta);
    }
  } else {
    return sdk::Error(sdk::ErrorCode::InvalidArgument, "unknown result kind '" + kind + "'");
  }
  return result;
}

}  // namespace

const std::vector<std::string>& EvalResultDecoder::fieldNames() {
  static const std::vector<std::string> names = {"licenses", "maintainers", "pname", "tests", "version"};
  return names;
}

bool EvalResultDecoder::copyField(const std::string& field, const sdk::PackageMeta& from, sdk::PackageMeta& into) {
  if (field == "pname") {
    into.pname = from.pname;
  } else if (field == "version") {
    into.version = from.version;
  } else if (field == "licenses") {
    into.licenses = from.licenses;
  } else if (field == "maintainers") {
    into.maintainers = from.maintainers;
  } else if (field == "tests") {
    into.tests = from.tests;
  } else {
    return false;
  }
  return true;
}

std::string EvalResultDecoder::attrPath(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& name : path) {
    if (!out.empty()) out += '.';
    bool plain = !name.empty();
    for (char c : name) {
      plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '\'');
    }
    out += plain ? name : "\"" + name + "\"";
  }
  return out;
}

sdk::Result<EvalResult> EvalResultDecoder::decodeResult(const std::string& json) {
  Object::Ptr object;
  try {
    Poco::JSON::Parser parser;
    object = parser.parse(json).extract<Object::Ptr>();
  } catch (const std::exception& e) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument, std::string("evaluator result is not a JSON object: ") + e.what());
  }
  return decodeObject(object);
}

sdk::Result<EvalResult> EvalResultDecoder::decodeNixEvalJobsLine(const std::string& line) {
  Object::Ptr object;
  try {
    Poco::JSON::Parser parser;
    object = parser.parse(line).extract<Object::Ptr>();
  } catch (const std::exception& e) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument, std::string("nix-eval-jobs line is not JSON: ") + e.what());
  }
  if (object.isNull()) return sdk::Error(sdk::ErrorCode::InvalidArgument, "nix-eval-jobs line is not an object");
  // nix-eval-jobs: {"attr": "...", "attrPath": [...], "drvPath": ..., "outputs": {"out": ...},
  // "system": ..., "meta": {...}} or {"attr": "...", "attrPath": [...], "error": "..."}.
  Object::Ptr normalised = new Object;
  Array::Ptr path = new Array;
  if (object->has("attrPath") && !object->getArray("attrPath").isNull()) {
    path = object->getArray("attrPath");
  } else {
    path->add(optionalString(object, "attr"));
  }
  normalised->set("path", path);
  if (object->has("error")) {
    normalised->set("kind", "error");
    auto decoded = decodeObject(normalised);
    if (decoded) decoded->item.error = optionalString(object, "error");
    return decoded;
  }
  normalised->set("kind", "drv");
  normalised->set("drvPath", optionalString(object, "drvPath"));
  normalised->set("system", optionalString(object, "system"));
  Array::Ptr outputs = new Array;
  if (object->has("outputs") && !object->getObject("outputs").isNull()) {
    auto map = object->getObject("outputs");
    for (const auto& name : map->getNames()) {
      Object::Ptr output = new Object;
      output->set("name", name);
      output->set("path", map->get(name).isString() ? map->get(name).toString() : std::string());
      outputs->add(output);
    }
  }
  normalised->set("outputs", outputs);
  if (object->has("meta") && !object->getObject("meta").isNull()) {
    auto meta = object->getObject("meta");
    normalised->set("pname", optionalString(meta, "pname"));
    normalised->set("version", optionalString(meta, "version"));
  }
  return decodeObject(normalised);
}

}  // namespace ekaci::plugins::evaluators
