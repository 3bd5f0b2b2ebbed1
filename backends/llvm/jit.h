// The ORC LLJIT instance of the LLVM tier: optimizes a module at O2 and returns the address and
// size of each of its units' functions. Thread-safe; each call compiles on the calling thread, one
// at a time.
// Guest accesses that the host's page protection checks are listed in the object's
// kRecoverySection, which the linker hands to the host fault handler.
#pragma once

#include <llvm/ExecutionEngine/Orc/LLJIT.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/host_faults.h"

namespace mimic::jit {

// Pairs of 64-bit addresses (faulting access, where to resume), emitted by the lowering's inline
// assembly for each guarded access.
inline constexpr const char* kRecoverySection = "mimic_recover";

struct JitFunction {
    uint64_t address;
    size_t size;  // bytes of machine code (the ELF symbol's size in the object before linking)
};

class Jit {
public:
    Jit();
    ~Jit();

    // Optimizes `module` (O2), adds it to the JIT and returns where each of `functions` is, in
    // their order. With `ir_text`, the optimized IR is appended to it (for -d llvm_ir). Throws
    // std::runtime_error.
    std::vector<JitFunction> compile(std::unique_ptr<llvm::Module> module, std::unique_ptr<llvm::LLVMContext> context,
                                     const std::vector<std::string>& functions, std::string* ir_text);

private:
    std::unique_ptr<llvm::MemoryBuffer> record_sizes(std::unique_ptr<llvm::MemoryBuffer> object);
    class RecoveryPlugin;

    host_faults::RecoveryTable recovery_;

    std::mutex compile_mutex_;
    std::unique_ptr<llvm::TargetMachine> machine_;  // for the optimizer (LLJIT has its own for codegen)
    std::unique_ptr<llvm::orc::LLJIT> jit_;
    // Functions being compiled, and their sizes once their object file has been seen. The object
    // is emitted during lookup, on whichever thread compiles, so several may be in flight.
    std::mutex sizes_mutex_;
    std::unordered_map<std::string, size_t> sizes_;
};

}  // namespace mimic::jit
