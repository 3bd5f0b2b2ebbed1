// Lockstep checking (-tier lockstep): every block runs on a reference tier (the interpreter) and
// on the tier under test (LLVM) from the same guest state, and the first difference in exit, pc,
// guest registers or memory written is reported. User mode's flat memory model only.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engine/backend.h"
#include "ir/global.h"

namespace mimic::lockstep {

// One thing the two runs of a block disagree on, with each tier's value as text.
struct Difference {
    std::string what;  // "exit", "pc", "exception_cause", "x10 (a0)", "memory at 0x11f08 (8 bytes)"
    std::string reference;
    std::string subject;
};

struct DivergenceReport {
    uint64_t block_pc = 0;
    std::string reference_tier, subject_tier;  // the backends' names
    std::vector<Difference> differences;       // in the order checked; the first is the headline
    // The registers the block started from (the non-zero ones), as name and value.
    std::vector<std::pair<std::string, uint64_t>> entry_registers;
};

// mimic: lockstep divergence in block 0x10a4c: x10 (a0): interp=0x5 llvm=0x6
// mimic:   also ...                     (one line per further difference)
// mimic:   on entry: ra=0x1 sp=0x...    (non-zero registers)
std::string format_report(const DivergenceReport& report);

struct LockstepOptions {
    // How reports name guest register `index` of the global table (default: the global's name).
    std::function<std::string(size_t index, const ir::GlobalInfo& global)> register_name;
    // Helpers whose results differ from call to call (time, cycle counters): the subject run gets
    // the reference run's results (see replay.h).
    std::vector<std::string> replayed_helpers;
    // Called on a divergence. The default writes format_report to stderr and exits with status 1.
    // If it returns, the subject's run stands and the guest goes on.
    std::function<void(const DivergenceReport&)> on_divergence;
};

// What a check does not see: state outside the global table (none in user mode; system mode's
// privileged registers), and stores the subject makes where the reference wrote nothing (the
// subject runs on its own fast paths, unjournaled, so that they are what is tested). Other guest
// threads wait while a block runs twice, but a system call in one of them that writes memory (a
// read(2) into a buffer the block reads) can still change it between the two runs.
class LockstepBackend final : public Backend {
public:
    // Both backends must outlive this one and every block it compiles.
    LockstepBackend(Backend& reference, Backend& subject, LockstepOptions options = {});

    std::string_view name() const override { return "lockstep"; }
    // Each tier must come back after one block to be compared: blocks are compiled without chain
    // slots (the lockstep block has no direct entry), and run with env->exit_request set, which
    // ends a loop the tier made of a block that jumps to itself.
    std::unique_ptr<CompiledBlock> compile(const ir::Block& block) override;
    std::unique_ptr<CompiledBlock> compile(const ir::Block& block, ChainSlots*) override { return compile(block); }
    // Blocks come as every tier gets them: the interpreter calls the IEEE helpers (ir::IeeeOp)
    // that the LLVM tier computes on the host, so lockstep compares the two.

    // Blocks run on both tiers so far.
    uint64_t blocks_checked() const { return checked_.load(std::memory_order_relaxed); }

private:
    friend class LockstepBlock;

    Backend& reference_;
    Backend& subject_;
    LockstepOptions options_;
    // Held while a block runs twice: another guest thread must not see the reference run's
    // stores, which are undone, nor change memory between the two runs.
    std::mutex run_mutex_;
    std::atomic<uint64_t> checked_{0};
};

}  // namespace mimic::lockstep
