// Tier 1: IR lowered to LLVM IR and compiled by ORC LLJIT at O2. Guest registers live in SSA values
// inside a unit and are written back where the IR says (exits, helpers that need them); loads and
// stores inline the fast path of the memory model. compile() runs LLVM on the calling thread: the
// engine calls it from its background compile thread, or directly with `-tier llvm`.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "engine/backend.h"

namespace mimic {
class Log;
}

namespace mimic::jit {

class Jit;

class LlvmBackend final : public Backend {
public:
    // private_tlb: see LowerOptions (system mode with one hart).
    LlvmBackend(MemoryModel memory, Log* log, bool private_tlb = false);
    ~LlvmBackend() override;

    std::string_view name() const override { return "llvm"; }
    std::unique_ptr<CompiledBlock> compile(const ir::Block& block) override { return compile(block, nullptr); }
    // With `chain`, a direct exit whose slot holds a successor's entry tail-calls it (unless the
    // vCPU is asked to exit), so hot code runs from block to block without the dispatcher.
    std::unique_ptr<CompiledBlock> compile(const ir::Block& block, ChainSlots* chain) override;
    // A region is one function: registers stay in SSA values across its blocks and loops.
    std::unique_ptr<CompiledBlock> compile_region(const std::vector<RegionBlock>& blocks) override;
    // One module for all: LLVM's set-up for a module (the code generator's pass pipeline, the
    // object file, linking) costs about a millisecond, as much as compiling a small unit.
    std::vector<std::unique_ptr<CompiledBlock>> compile_regions(
        std::span<const std::vector<RegionBlock>> regions) override;

private:
    // retry_below: the blocks have lower-tier code (LowerOptions::retry_below).
    std::vector<std::unique_ptr<CompiledBlock>> compile_units(std::span<const std::vector<RegionBlock>> units,
                                                              bool retry_below);

    MemoryModel memory_;
    Log* log_;
    bool private_tlb_;
    std::once_flag jit_once_;
    std::unique_ptr<Jit> jit_;
    std::mutex mutex_;  // LLJIT's session is thread-safe, but unit names and stats are ours
    uint64_t units_ = 0;
};

}  // namespace mimic::jit
