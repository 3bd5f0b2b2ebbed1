// IR → LLVM IR: a unit (one ir::Block, or a region of several with blocks[0] its entry) becomes one
// function `i64 unit(ptr env)` returning an encoded BlockExit (llvm_backend.h). Several units may
// share a module, which LLVM then compiles in one go.
#pragma once

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/backend.h"
#include "ir/block.h"

namespace mimic::jit {

struct LowerOptions {
    bool time_helpers = false;  // -d stats: helper calls add their host cycles to env->helper_cycles
    // The blocks have code of a lower tier that the engine runs after a BlockExit::Kind::kRetry
    // (a tier-up region, Backend::compile_region). Accesses then need no slow path of their own:
    // one that the fast path does not do (the host refused it, a TLB miss, MMIO) leaves with
    // kRetry and the state from before its group of instructions without side effects
    // (Lowering::Restart), and the lower tier's code does them again.
    bool retry_below = false;
    // Only this vCPU changes its TLB, and only in calls (a machine with one hart): a store may
    // then keep its last translation as a load does (Lowering::cached_translation). With more
    // harts, another one marks a page that gains code slow in every TLB, and a store that kept
    // its translation would miss that mark.
    bool private_tlb = false;
};

// Adds the unit `name` to `module`. Each block's `chain`: its chain slots, or nullptr (its direct
// exits then always return to the dispatcher, and so do its indirect ones).
void lower_unit(const std::vector<RegionBlock>& blocks, MemoryModel memory, LowerOptions options,
                const std::string& name, llvm::Module& module);

}  // namespace mimic::jit
