// The IR verifier: structural and type rules every pass must preserve. The engine runs it on each
// optimized block under -d verify_ir (the tests turn it on); the IR tests call it directly.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ir/block.h"

namespace mimic::ir {

// Returns a description of the first broken rule, or nothing when the block is well formed.
std::optional<std::string> verify(const Block& block);

// verify(), where a broken rule is a bug in Mimic, never in the guest: stops the process with the
// rule, the stage that broke it and the block.
void verify_or_abort(const Block& block, std::string_view after);

}  // namespace mimic::ir
