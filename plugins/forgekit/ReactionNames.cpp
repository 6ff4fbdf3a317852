#include "forgekit/ReactionNames.h"

namespace ekaci::forgekit {

const char* ReactionNames::github(sdk::Reaction reaction) {
  switch (reaction) {
    case sdk::Reaction::Acknowledge:
      return "+1";
    case sdk::Reaction::Failure:
      return "-1";
    case sdk::Reaction::Success:
      return "rocket";
    case sdk::Reaction::Confused:
      return "confused";
  }
  return "+1";
}

const char* ReactionNames::gitlab(sdk::Reaction reaction) {
  switch (reaction) {
    case sdk::Reaction::Acknowledge:
      return "thumbsup";
    case sdk::Reaction::Failure:
      return "thumbsdown";
    case sdk::Reaction::Success:
      return "rocket";
    case sdk::Reaction::Confused:
      return "confused";
  }
  return "thumbsup";
}

}  // namespace ekaci::forgekit
