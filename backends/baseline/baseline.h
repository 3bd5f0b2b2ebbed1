// The baseline tier: the interpreter's pre-decoded ops (backends/interp/ops.h) compiled to x86-64
// by one template per op, in the vCPU thread, in microseconds per block. Guest registers stay in
// their env words, as in the interpreter (every write goes there at once, even where a host
// register caches the value), so a fault needs no write-back and its state is exact by
// construction; what the tier removes is the interpreter's dispatch: the ops' operands become
// displacements, registers and immediates, branches become jumps, and blocks chain to each other
// (and to LLVM units) through their chain slots without returning to the dispatcher.
// Rare ops (division, bit counts, big-endian accesses, user mode's aligned ones) run through the
// interpreter one op at a time.
//
// In tiered mode blocks start here; a block counts its own runs and asks the engine for the
// upper tier when it gets hot (BlockExit::Kind::kHot).
#pragma once

#include <memory>

#include "backends/interp/interp.h"
#include "engine/backend.h"

namespace mimic::baseline {

class CodeArena;

class BaselineBackend final : public Backend {
public:
    // `hot_threshold` (tiered mode): a block with chain slots counts its runs in its TB and leaves
    // with kHot at half the threshold (so the engine can time its heat) and from the threshold on
    // until it is queued; 0: no counting.
    explicit BaselineBackend(MemoryModel memory, uint64_t hot_threshold = 0);
    ~BaselineBackend() override;
    std::string_view name() const override { return "baseline"; }
    std::unique_ptr<CompiledBlock> compile(const ir::Block& block) override { return compile(block, nullptr); }
    std::unique_ptr<CompiledBlock> compile(const ir::Block& block, ChainSlots* chain) override;

private:
    MemoryModel memory_;
    uint64_t hot_threshold_;
    interp::InterpreterBackend ops_;
    std::shared_ptr<CodeArena> arena_;  // shared with the blocks, which may outlive the backend
};

}  // namespace mimic::baseline
