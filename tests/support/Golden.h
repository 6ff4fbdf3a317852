#pragma once

#include <string>

namespace ekaci::testsupport {

// Compares `actual` with the file at `relative` (from the source root). With
// EKACI_UPDATE_GOLDEN=1 in the environment, rewrites the file instead and reports so.
// Returns an empty string when they match, otherwise a short explanation.
std::string compareWithGolden(const std::string& relative, const std::string& actual);

}  // namespace ekaci::testsupport
