#pragma once

#include <cstdint>
#include <string>

#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::sdk {

// Comments and reactions on change requests (the change summary on forges without check
// runs, answers to comment commands).
//
// Threading: called on the kernel's outbox threads, concurrently.
class EKACI_SDK_API ForgeComments {
 public:
  virtual ~ForgeComments();

  // Comments on a change request; returns the comment id.
  virtual Result<std::uint64_t> create(const ChangeRequestRef& changeRequest, const std::string& markdown) = 0;
  // Replaces the text of a comment this server made.
  virtual Result<void> edit(const ChangeRequestRef& changeRequest, std::uint64_t commentId,
                            const std::string& markdown) = 0;
  virtual Result<void> react(const ChangeRequestRef& changeRequest, std::uint64_t commentId, Reaction reaction) = 0;
};

}  // namespace ekaci::sdk
