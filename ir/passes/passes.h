// IR passes, one free function each, and the pipeline that runs them in order.
#pragma once

#include <functional>
#include <string_view>

#include "ir/block.h"

namespace mimic::ir {

void constant_propagation(Block& block);
void global_forwarding(Block& block);  // copy propagation of guest registers
void dead_global_store_elimination(Block& block);
void redundant_global_store_elimination(Block& block);
void dead_code_elimination(Block& block);

// Called after each pass with its name, so -d op_opt (and tests) can dump the IR between passes.
using PassObserver = std::function<void(std::string_view pass, const Block&)>;

// The one place the pass order is written.
void optimize(Block& block, const PassObserver& observer = {});

}  // namespace mimic::ir
