// The ORC LLJIT instance of the LLVM tier: optimizes a module at O2 and returns the address of its
// function. Thread-safe; each call compiles on the calling thread.
#pragma once

#include <llvm/ExecutionEngine/Orc/LLJIT.h>

#include <cstdint>
#include <memory>
#include <string>

namespace mimic::jit {

class Jit {
public:
    Jit();
    ~Jit();

    // Optimizes `module` (O2), adds it to the JIT and returns the address of `function`. With
    // `ir_text`, the optimized IR is appended to it (for -d llvm_ir). Throws std::runtime_error.
    uint64_t compile(std::unique_ptr<llvm::Module> module, std::unique_ptr<llvm::LLVMContext> context,
                     const std::string& function, std::string* ir_text);

private:
    std::unique_ptr<llvm::orc::LLJIT> jit_;
};

}  // namespace mimic::jit
