#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/SourceLocation.h"

namespace ekaci::sdk {

// A configuration value: the SDK's own tree, so that no parser type crosses into plugins.
// Tables keep their keys in the order they were written. Every value remembers where it
// came from, so that errors can point at a file and line.
class EKACI_SDK_API Value {
 public:
  enum class Kind { Null, Bool, Integer, Float, String, Array, Table };

  Value() = default;
  static Value null() { return Value(); }
  static Value boolean(bool b);
  static Value integer(std::int64_t i);
  static Value floating(double d);
  static Value string(std::string s);
  static Value array();
  static Value table();
  static Value stringList(const std::vector<std::string>& items);

  Kind kind() const noexcept { return kind_; }
  bool isNull() const noexcept { return kind_ == Kind::Null; }
  bool isBool() const noexcept { return kind_ == Kind::Bool; }
  bool isInteger() const noexcept { return kind_ == Kind::Integer; }
  bool isFloat() const noexcept { return kind_ == Kind::Float; }
  bool isNumber() const noexcept { return isInteger() || isFloat(); }
  bool isString() const noexcept { return kind_ == Kind::String; }
  bool isArray() const noexcept { return kind_ == Kind::Array; }
  bool isTable() const noexcept { return kind_ == Kind::Table; }

  // Accessors return the value for the matching kind and a neutral value otherwise
  // (false, 0, "", empty); callers check kind() first where it matters.
  bool asBool() const noexcept { return kind_ == Kind::Bool && bool_; }
  std::int64_t asInteger() const noexcept { return kind_ == Kind::Integer ? int_ : 0; }
  double asFloat() const noexcept;
  const std::string& asString() const noexcept;
  std::vector<std::string> asStringList() const;

  // Arrays.
  const std::vector<Value>& items() const noexcept { return items_; }
  std::vector<Value>& items() noexcept { return items_; }
  void push(Value item);

  // Tables.
  std::size_t size() const noexcept { return items_.size(); }
  const std::vector<std::string>& keys() const noexcept { return keys_; }
  const Value* find(std::string_view key) const noexcept;
  Value* find(std::string_view key) noexcept;
  // Inserts or replaces; returns the stored value.
  Value& set(std::string key, Value value);
  bool erase(std::string_view key);
  // Follows a dotted path ("web.port"); nullptr when any step is missing.
  const Value* findPath(std::string_view dottedPath) const noexcept;

  const SourceLocation& location() const noexcept { return location_; }
  void setLocation(SourceLocation location) { location_ = std::move(location); }

  static const char* kindName(Kind kind) noexcept;
  const char* kindName() const noexcept { return kindName(kind_); }

  // Compact, deterministic rendering (JSON-like) for messages and tests.
  std::string toString() const;

  friend EKACI_SDK_API bool operator==(const Value& a, const Value& b);

 private:
  Kind kind_ = Kind::Null;
  bool bool_ = false;
  std::int64_t int_ = 0;
  double float_ = 0.0;
  std::string string_;
  std::vector<std::string> keys_;  // tables: keys_[i] names items_[i]
  std::vector<Value> items_;       // arrays and table values
  SourceLocation location_;
};

}  // namespace ekaci::sdk
