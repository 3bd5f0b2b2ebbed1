// IR → LLVM IR: a unit (one ir::Block, or a region of several with blocks[0] its entry) becomes one
// function `i64 unit(ptr env)` returning an encoded BlockExit (llvm_backend.h).
#pragma once

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/backend.h"
#include "ir/block.h"

namespace mimic::jit {

// Each block's `chain`: its chain slots, or nullptr (its direct exits then always return to the
// dispatcher, and so do its indirect ones). `time_helpers` (-d stats): helper calls add their host
// cycles to env->helper_cycles.
std::unique_ptr<llvm::Module> lower_region(const std::vector<RegionBlock>& blocks, MemoryModel memory,
                                           bool time_helpers, const std::string& name, llvm::LLVMContext& context);

}  // namespace mimic::jit
