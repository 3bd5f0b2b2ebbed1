// The interpreter's pre-decoded form, shared by its lowering (lower.cpp: IR -> ops) and its
// threaded-dispatch loop (interp.cpp), and the input of the baseline tier (backends/baseline), which
// compiles the same ops to host code.
//
// Every operand is a 64-bit word index from env: a guest register (when the IR's GetGlobal or
// SetGlobal could be folded into the op), or a word of the vCPU's scratch area (CpuHeader::scratch)
// holding the block's constants (copied in at entry) or a temporary (reused once dead). i32 values
// live zero-extended in their words.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/backend.h"

namespace mimic::interp {

enum class IOp : uint16_t {
#define X(name) k##name,
#include "backends/interp/ops.inc"
    MIMIC_INTERP_OPS(X)
#undef X
};

inline constexpr const char* kIOpNames[] = {
#define X(name) #name,
#include "backends/interp/ops.inc"
    MIMIC_INTERP_OPS(X)
#undef X
};

struct Op {
    IOp kind;  // for dump(); execution uses handler
    const void* handler = nullptr;
    uint32_t dst = 0;
    uint32_t a = 0, b = 0, c = 0, d = 0;
    int32_t disp = 0;  // loads and stores: added to the address in a (an IR Add folded in)
    uint64_t imm = 0;  // MemOp, global offset, bits, slot, reason, HelperInfo*, branch target
    uint64_t pc = 0;   // guest pc of the instruction this op belongs to (for exceptions)
};

class InterpretedBlock;
// Runs a block. The handlers' addresses are labels local to this function, so lowering obtains
// them by calling it with block == nullptr, which only stores the table in *table.
BlockExit execute(const InterpretedBlock* block, CpuHeader* env, const void* const** table);

class InterpretedBlock final : public CompiledBlock {
public:
    BlockExit run(CpuHeader* env) const override { return execute(this, env, nullptr); }
    size_t host_size() const override { return ops.size() * sizeof(Op) + consts.size() * 8; }
    std::string dump() const override;

    // Blocks with few constants copy this many words, a fixed size the compiler turns into a few
    // vector moves instead of a call to memcpy; the words past the constants are temporaries,
    // which the block writes before it reads them.
    static constexpr size_t kInlineConstWords = 8;

    std::vector<Op> ops;
    std::vector<uint64_t> consts;  // copied to the start of env->scratch when the block runs
    size_t const_count = 0;        // ... of which the block's constants (the rest is padding)
};

}  // namespace mimic::interp
