#include "ekaci/sdk/Value.h"

#include <cmath>
#include <cstdio>

namespace ekaci::sdk {

Value Value::boolean(bool b) {
  Value v;
  v.kind_ = Kind::Bool;
  v.bool_ = b;
  return v;
}

Value Value::integer(std::int64_t i) {
  Value v;
  v.kind_ = Kind::Integer;
  v.int_ = i;
  return v;
}

Value Value::floating(double d) {
  Value v;
  v.kind_ = Kind::Float;
  v.float_ = d;
  return v;
}

Value Value::string(std::string s) {
  Value v;
  v.kind_ = Kind::String;
  v.string_ = std::move(s);
  return v;
}

Value Value::array() {
  Value v;
  v.kind_ = Kind::Array;
  return v;
}

Value Value::table() {
  Value v;
  v.kind_ = Kind::Table;
  return v;
}

Value Value::stringList(const std::vector<std::string>& items) {
  Value v = array();
  for (const auto& item : items) v.push(string(item));
  return v;
}

double Value::asFloat() const noexcept {
  if (kind_ == Kind::Float) return float_;
  if (kind_ == Kind::Integer) return static_cast<double>(int_);
  return 0.0;
}

const std::string& Value::asString() const noexcept {
  static const std::string kEmpty;  // constant, never mutated
  return kind_ == Kind::String ? string_ : kEmpty;
}

std::vector<std::string> Value::asStringList() const {
  std::vector<std::string> out;
  if (kind_ != Kind::Array) return out;
  out.reserve(items_.size());
  for (const auto& item : items_) out.push_back(item.asString());
  return out;
}

void Value::push(Value item) { items_.push_back(std::move(item)); }

const Value* Value::find(std::string_view key) const noexcept {
  if (kind_ != Kind::Table) return nullptr;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == key) return &items_[i];
  }
  return nullptr;
}

Value* Value::find(std::string_view key) noexcept {
  return const_cast<Value*>(static_cast<const Value*>(this)->find(key));
}

Value& Value::set(std::string key, Value value) {
  if (Value* existing = find(key)) {
    *existing = std::move(value);
    return *existing;
  }
  keys_.push_back(std::move(key));
  items_.push_back(std::move(value));
  return items_.back();
}

bool Value::erase(std::string_view key) {
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == key) {
      keys_.erase(keys_.begin() + static_cast<std::ptrdiff_t>(i));
      items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(i));
      return true;
    }
  }
  return false;
}

const Value* Value::findPath(std::string_view dottedPath) const noexcept {
  const Value* current = this;
  while (current != nullptr) {
    auto dot = dottedPath.find('.');
    current = current->find(dottedPath.substr(0, dot));
    if (dot == std::string_view::npos) return current;
    dottedPath.remove_prefix(dot + 1);
  }
  return nullptr;
}

const char* Value::kindName(Kind kind) noexcept {
  switch (kind) {
    case Kind::Null:
      return "null";
    case Kind::Bool:
      return "boolean";
    case Kind::Integer:
      return "integer";
    case Kind::Float:
      return "float";
    case Kind::String:
      return "string";
    case Kind::Array:
      return "array";
    case Kind::Table:
      return "table";
  }
  return "unknown";
}

namespace {
void appendQuoted(std::string& out, const std::string& s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          (void)std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}
}  // namespace

std::string Value::toString() const {
  std::string out;
  switch (kind_) {
    case Kind::Null:
      return "null";
    case Kind::Bool:
      return bool_ ? "true" : "false";
    case Kind::Integer:
      return std::to_string(int_);
    case Kind::Float: {
      char buf[32];
      (void)std::snprintf(buf, sizeof buf, "%.17g", float_);
      out = buf;
      if (std::isfinite(float_) && out.find_first_of(".eE") == std::string::npos) out += ".0";
      return out;
    }
    case Kind::String:
      appendQuoted(out, string_);
      return out;
    case Kind::Array:
      out = "[";
      for (std::size_t i = 0; i < items_.size(); ++i) {
        if (i) out += ", ";
        out += items_[i].toString();
      }
      return out + "]";
    case Kind::Table:
      out = "{";
      for (std::size_t i = 0; i < items_.size(); ++i) {
        if (i) out += ", ";
        appendQuoted(out, keys_[i]);
        out += ": " + items_[i].toString();
      }
      return out + "}";
  }
  return out;
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case Value::Kind::Null:
      return true;
    case Value::Kind::Bool:
      return a.bool_ == b.bool_;
    case Value::Kind::Integer:
      return a.int_ == b.int_;
    case Value::Kind::Float:
      return a.float_ == b.float_;
    case Value::Kind::String:
      return a.string_ == b.string_;
    case Value::Kind::Array:
      return a.items_ == b.items_;
    case Value::Kind::Table:
      return a.keys_ == b.keys_ && a.items_ == b.items_;
  }
  return false;
}

}  // namespace ekaci::sdk
