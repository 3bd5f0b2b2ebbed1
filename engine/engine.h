// The execution engine: finds or translates the block at the vCPU's pc, runs it on a tier, follows
// chained exits, and hands every other exit back to the architecture's loop. Guest-ISA agnostic.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/backend.h"
#include "engine/frontend.h"
#include "engine/log.h"
#include "engine/tb_cache.h"
#include "engine/tier_up.h"
#include "softmmu/memory_port.h"

namespace mimic {

struct EngineOptions {
    uint32_t max_insns_per_block = 256;  // 1 with -one-insn-per-tb
    bool chaining = true;
    Log* log = nullptr;
    // System mode: chain only to blocks on the same virtual page as the block's start. Another
    // page's mapping may change without the chain knowing (QEMU's rule); those jumps go through
    // the jump cache, which the vCPU clears when its translation changes.
    bool chain_within_page_only = false;
    // Tiered mode: blocks start on the engine's backend and are recompiled by this one, in the
    // background, once they have run `tier_up_threshold` times.
    Backend* tier_up = nullptr;
    uint64_t tier_up_threshold = 2000;
    // Tiered mode: with the interpreter as the engine's backend, a block is compiled by this tier
    // (the baseline), on the vCPU, at its `warm_up_threshold`th run. Most blocks of a program run
    // a few times only (start-up, option parsing, error paths), which the interpreter does for less
    // than compiling them costs: hello world takes 14 ms instead of 18. 100 ran the benchmarks 8%
    // faster than 1 (20: 5%; 300 as 100; 1000 and 1900 2-3% slower). The tier must count its own
    // runs (CompiledBlock::counts_runs), or else the engine counts them. The interpreter then runs
    // the block's IR as translated, not optimized: the IR passes cost a block that runs a few times
    // more than they save it (hello world: 17.4 ms instead of 20.3), and a block that warms up is
    // translated again, and optimized, for the warm-up tier.
    Backend* warm_up = nullptr;
    uint64_t warm_up_threshold = 100;
    // A hot block heads a region: the blocks its chained exits reach (breadth first, each run at
    // least a tenth as often as the threshold), up to this many blocks and guest instructions,
    // compiled as one unit. The bounds keep LLVM's compile time (superlinear in unit size) short;
    // the IR bound is the one that tracks it (system mode's TLB lookups and inline FP fast paths
    // make a guest instruction 20 IR ops or more; a 4,000-op region took over a second).
    uint32_t max_region_blocks = 16;
    uint32_t max_region_insns = 400;
    uint32_t max_region_ir_ops = 1200;
    // Regions also follow indirect jumps (returns, switch tables) to the targets seen from each
    // block, which then become branches inside the unit. Only where the mode flags never change
    // and a virtual pc names one block: user mode.
    bool indirect_regions = false;
    // -d verify_ir: every block's IR goes through ir::verify after optimization, and a broken rule
    // stops the process. Off in normal runs (it cost about 5% of hello world's time); the tests
    // turn it on.
    bool verify_ir = false;
};

struct EngineStats {
    uint64_t translations = 0;
    uint64_t invalidated = 0;
    size_t live_blocks = 0;
    size_t retired_blocks = 0;       // invalidated, not yet freed
    uint64_t warmed_up = 0;          // blocks moved from the interpreter to the warm-up tier
    uint64_t tiered_up = 0;          // units (blocks or regions) whose upper-tier code was installed
    uint64_t region_blocks = 0;      // blocks in those units
    uint64_t regions_dropped = 0;    // installed regions dropped because a member changed
    size_t code_bytes = 0;           // host code (or pre-decoded form) of every unit made
    std::vector<double> compile_ms;  // per background compile
    uint64_t dispatches = 0;         // blocks entered through the run loop (chained or not)
    uint64_t lookups = 0;            // ... of which needed a lookup (jump cache or hash table)
    uint64_t inline_lookups = 0;     // jumps compiled code resolved through the jump cache (-d stats)
    uint64_t retries = 0;            // upper-tier exits that had the lower tier run a block (kRetry)
    // With -d stats: host cycles inside Engine::run, and in helper calls (the tiers time them).
    uint64_t run_cycles = 0;
    uint64_t helper_cycles = 0;
};

// One vCPU's private engine state. The engine registers it on its first run() and the state
// unregisters itself when destroyed; it must not outlive the engine.
struct VcpuEngineState {
    VcpuEngineState() = default;
    VcpuEngineState(const VcpuEngineState&) = delete;
    VcpuEngineState& operator=(const VcpuEngineState&) = delete;
    ~VcpuEngineState();

    JumpCache jump_cache;
    // For reclaiming retired blocks: whether the vCPU is inside Engine::run (outside it holds no
    // block but its jump cache, which it clears on the way in), and the epoch it last saw at a
    // safe point (a moment it held no pointer to a block).
    std::atomic<bool> running{false};
    std::atomic<uint64_t> seen_epoch{0};
    // Statistics (-d stats), counted by the vCPU alone: blocks run, and returns to the dispatcher
    // that needed a lookup.
    uint64_t dispatches = 0;
    uint64_t lookups = 0;
    uint64_t inline_lookups = 0;
    uint64_t retries = 0;
    uint64_t run_cycles = 0;
    uint64_t helper_cycles = 0;
    class Engine* engine = nullptr;
};

class Engine final : public CodeObserver {
public:
    // Code is fetched through each vCPU's env->mem_port; `pages` marks the physical pages that hold it.
    Engine(Frontend& frontend, Backend& backend, CodePageTracker& pages, EngineOptions options);
    ~Engine() override;

    // Runs guest code until an exit that is not a jump to another block: a syscall, an exception
    // (also a fetch fault found before translating), a halt, or a yield (also returned when
    // env->exit_request is set).
    BlockExit run(CpuHeader* env, VcpuEngineState& vcpu);

    // Self-modifying code and unmapped/reprotected memory: drop the blocks translated from it.
    void code_written(uint64_t addr, uint64_t len) override;
    void invalidate_range(uint64_t addr, uint64_t size);

    EngineStats stats();
    // The -d stats line (mimic-stats: key=value ...), written to the log.
    void log_stats(double run_seconds);
    // Tiered mode: wait until every queued block is compiled and installed (tests).
    void drain_tier_up();
    void detach(VcpuEngineState& vcpu);
    // The cached block for key, or nullptr (for diagnostics and tests; takes the cache lock). The
    // pointer is good until the block is invalidated: then it may be freed.
    const TranslationBlock* find_block(const TbKey& key);
    Frontend& frontend() { return frontend_; }

private:
    TranslationBlock* find_or_translate(CpuHeader* env, VcpuEngineState& vcpu);
    void safe_point(VcpuEngineState& vcpu);
    void reclaim_locked();
    std::unique_ptr<TranslationBlock> translate(CpuHeader* env, const TbKey& key);
    void set_lower_code(TranslationBlock& tb, Backend& tier, std::unique_ptr<CompiledBlock> code);
    ir::Block build_ir(CpuHeader* env, const TbKey& key, Log* log, bool optimize = true);
    std::optional<ir::Block> retranslate(CpuHeader* env, const TranslationBlock& tb);
    void counted(CpuHeader* env, TranslationBlock* tb, uint64_t count);
    void warm_up(CpuHeader* env, TranslationBlock* tb);
    void tier_up(CpuHeader* env, TranslationBlock* tb);
    TierUpCompiler::Job form_region_locked(CpuHeader* env, TranslationBlock* head);
    static void note_indirect(TranslationBlock* source, uint64_t target);
    void install(TierUpCompiler::Job& job, std::unique_ptr<CompiledBlock> code, double compile_ms);
    bool second_page_matches(CpuHeader* env, const TranslationBlock& tb);
    void invalidate_page_locked(uint64_t page_index, uint64_t start = 0, uint64_t end = kGuestPageSize);

    Frontend& frontend_;
    Backend& backend_;
    CodePageTracker& pages_;
    EngineOptions options_;
    TbCache cache_;
    std::vector<VcpuEngineState*> vcpus_;  // guarded by the cache lock
    std::atomic<uint64_t> translations_{0};
    std::atomic<uint64_t> invalidated_{0};
    std::atomic<uint64_t> next_id_{1};
    std::atomic<uint64_t> dispatches_{0};
    std::atomic<uint64_t> retries_{0};
    std::atomic<uint64_t> lookups_{0};
    std::atomic<uint64_t> inline_lookups_{0};
    std::atomic<uint64_t> run_cycles_{0};
    std::atomic<uint64_t> helper_cycles_{0};
    std::atomic<size_t> code_bytes_{0};
    uint64_t tiered_up_ = 0;                    // guarded by the cache lock
    uint64_t warmed_up_ = 0;                    // guarded by the cache lock
    uint64_t region_blocks_ = 0;                // guarded by the cache lock
    std::vector<double> compile_ms_;            // guarded by the cache lock
    std::unique_ptr<TierUpCompiler> compiler_;  // last: its thread stops before the rest goes
};

}  // namespace mimic
