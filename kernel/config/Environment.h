#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>

namespace ekaci::config {

// A snapshot of environment variables, passed explicitly so that configuration code never
// reads the process environment behind a test's back.
class Environment {
 public:
  Environment() = default;
  explicit Environment(std::map<std::string, std::string> variables) : variables_(std::move(variables)) {}
  Environment(std::initializer_list<std::pair<const std::string, std::string>> variables) : variables_(variables) {}
  static Environment fromProcess();

  std::optional<std::string> get(const std::string& name) const;
  // The variable when it is set and not empty.
  std::optional<std::string> nonEmpty(const std::string& name) const;
  void set(std::string name, std::string value) { variables_[std::move(name)] = std::move(value); }

 private:
  std::map<std::string, std::string> variables_;
};

}  // namespace ekaci::config
