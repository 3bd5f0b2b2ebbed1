// The IR verifier: structural and type rules every pass must preserve. The pass pipeline ends with it.
#pragma once

#include <optional>
#include <string>

#include "ir/block.h"

namespace mimic::ir {

// Returns a description of the first broken rule, or nothing when the block is well formed.
std::optional<std::string> verify(const Block& block);

}  // namespace mimic::ir
