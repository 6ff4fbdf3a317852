#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ekaci::testsupport {

// The derivations `nix-instantiate FILE` writes (the file evaluating to one derivation, a
// list or an attribute set of them), one per line that names a .drv. A failure is
// a test failure (with Nix's message) and answers nothing.
std::vector<std::string> instantiate(const std::filesystem::path& file);

}  // namespace ekaci::testsupport
