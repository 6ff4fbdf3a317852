#pragma once

#include <string>
#include <vector>

namespace ekaci::storage {

// The versioned schema. A migration, once released, is never edited: changes come as a new
// migration with the next version number.
struct Migration {
  int version;
  std::string description;
  std::vector<std::string> statements;
};

class Migrations {
 public:
  static const std::vector<Migration>& sqlite();
  static int latestVersion();
};

}  // namespace ekaci::storage
