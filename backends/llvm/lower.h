// IR → LLVM IR: one ir::Block becomes one function `i64 unit(ptr env)` returning an encoded
// BlockExit (llvm_backend.h).
#pragma once

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <memory>
#include <string>

#include "engine/backend.h"
#include "ir/block.h"

namespace mimic::jit {

// `chain`: the block's chain slots, or nullptr (direct exits then always return to the dispatcher).
std::unique_ptr<llvm::Module> lower_block(const ir::Block& block, MemoryModel memory, ChainSlots* chain,
                                          const std::string& name, llvm::LLVMContext& context);

// Out-of-line slow paths the generated code calls (C linkage, addresses baked in as constants).
extern "C" {
bool mimic_jit_load_slow(CpuHeader* env, uint64_t addr, uint64_t memop, uint64_t* value);
bool mimic_jit_store_slow(CpuHeader* env, uint64_t addr, uint64_t memop, uint64_t value);
}

}  // namespace mimic::jit
