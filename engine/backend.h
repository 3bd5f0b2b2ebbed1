// The contract between the engine and an execution tier: compile an IR block, run it, and report
// how it left (the Terminal it took).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/cpu_header.h"
#include "ir/block.h"

namespace mimic {

struct BlockExit {
    enum class Kind : uint8_t {
        kGotoTb,     // direct, chainable: env->pc holds the target, `slot` names the exit
        kLookup,     // indirect: env->pc holds the target
        kExit,       // `reason` says why; env->pc is where to resume
        kException,  // env->exception_* describe it; env->pc is the faulting instruction
        // A block that counts its own runs (CompiledBlock::counts_runs) reached a tier-up point
        // before running: exit_chain names it, env->pc is its pc. The engine runs it next.
        kHot,
        // An upper-tier unit left at env->pc, with the state there, before an access its fast
        // path does not do (Backend::compile_region): the engine runs the block there once in the
        // tier it was translated for, whose slow paths do the access or raise its fault.
        kRetry,
    };
    Kind kind;
    uint8_t slot = 0;
    ir::ExitReason reason = ir::ExitReason::kYield;
};

// How loads and stores reach guest memory: user mode's flat guest-base mapping with a permission
// byte per page, or system mode's soft-MMU TLB (softmmu/tlb.h). Every tier inlines the fast path.
enum class MemoryModel { kFlat, kSoftTlb };

// Whether the engine links a direct exit of the block at `from` to the block at `to` once it has
// seen it: always in user mode; in system mode only within one 4 KiB virtual page (QEMU's rule,
// EngineOptions::chain_within_page_only). Compiled code returns to the engine from an empty slot
// it may link, so that the next run is chained; for one it may not, it probes the jump cache on
// every run.
constexpr bool engine_links(MemoryModel memory, uint64_t from, uint64_t to) {
    return memory == MemoryModel::kFlat || (from >> 12) == (to >> 12);
}

class CompiledBlock {
public:
    virtual ~CompiledBlock() = default;
    virtual BlockExit run(CpuHeader* env) const = 0;
    virtual size_t host_size() const = 0;  // bytes of host code or pre-decoded form, for statistics
    virtual std::string dump() const = 0;  // the tier's form of the block, for -d out_asm
    // A host function `uint64_t(CpuHeader*)` another compiled block may tail-call to enter this one
    // directly (chaining without the dispatcher), or nullptr if the tier has none.
    virtual void* direct_entry() const { return nullptr; }
    // True when the block adds its runs to its TB's exec_count itself and reports tier-up points
    // (BlockExit::Kind::kHot), as chained code must: the engine then does not count it.
    virtual bool counts_runs() const { return false; }
};

// The encoding of BlockExit that host code (the baseline and LLVM tiers) returns:
// kind | slot << 8 | reason << 16.
constexpr uint64_t encode_exit(BlockExit::Kind kind, unsigned slot = 0, ir::ExitReason reason = {}) {
    return uint64_t(kind) | uint64_t(slot) << 8 | uint64_t(reason) << 16;
}
constexpr BlockExit decode_exit(uint64_t v) {
    return {BlockExit::Kind(v & 0xff), uint8_t(v >> 8), ir::ExitReason(v >> 16 & 0xff)};
}

// Calls generated code, a host function `uint64_t(CpuHeader*)` of the baseline or LLVM tier, from
// C++. Generated code may use the callee-saved registers (rbx, rbp, r12-r15) without saving them,
// since blocks chain into each other by tail jumps and only this entry returns to C++: it saves
// them around the call. Code that calls out of generated code keeps the C ABI.
extern "C" uint64_t mimic_enter_generated(CpuHeader* env, const void* code);

// Where a block's two direct exits find their chained successor's direct_entry (null: return to
// the dispatcher). The engine fills and clears them; compiled code reads them atomically.
using ChainSlots = std::atomic<void*>[2];

// One block of a region (a unit of several blocks compiled together): its IR and its TB's chain
// slots, through which the region's exits from this block leave.
struct RegionBlock {
    const ir::Block* block;
    ChainSlots* chain;
    // Targets of the block's indirect jump that are blocks of the region: such a jump branches
    // there. The caller guarantees that the flags cannot change inside the unit and that a pc
    // names one block (user mode).
    std::vector<uint64_t> indirect_inside = {};
};

// One entry of a vCPU's jump cache (engine/translation_block.h), laid out for compiled code,
// which probes it inline through CpuHeader::jump_cache for an indirect jump or an unchained exit:
// at entries[jump_cache_index(pc)], a matching pc and flags give the block's direct entry, or
// null while it has none or is invalid. An empty entry's points at a null that never changes.
struct TranslationBlock;
inline constexpr std::atomic<void*> kNoDirectEntry{nullptr};
struct JumpCacheEntry {
    uint64_t pc = 0;
    uint32_t flags = 0;
    const std::atomic<void*>* direct_entry = &kNoDirectEntry;
    TranslationBlock* tb = nullptr;
};
inline constexpr unsigned kJumpCacheBits = 12;
constexpr size_t jump_cache_index(uint64_t pc) {
    return ((pc >> 1) ^ (pc >> (kJumpCacheBits + 1))) & ((size_t{1} << kJumpCacheBits) - 1);
}

class Backend {
public:
    virtual ~Backend() = default;
    virtual std::string_view name() const = 0;
    virtual std::unique_ptr<CompiledBlock> compile(const ir::Block& block) = 0;
    // The same, for a block whose direct exits may jump through `chain` (owned by the block's TB).
    virtual std::unique_ptr<CompiledBlock> compile(const ir::Block& block, ChainSlots* chain) { return compile(block); }
    // A region: blocks[0] is the entry; a direct exit of one block to another block's pc becomes
    // a jump inside the unit, and so does an indirect one listed in `indirect_inside`. Tiers
    // without regions compile the entry alone. A region may leave with BlockExit::Kind::kRetry:
    // its blocks have code of a lower tier to run then.
    virtual std::unique_ptr<CompiledBlock> compile_region(const std::vector<RegionBlock>& blocks) {
        return compile(*blocks.front().block, blocks.front().chain);
    }
    // Several regions at once, their code in the same order: a tier whose every compile has a
    // fixed cost (LLVM's) pays it once.
    virtual std::vector<std::unique_ptr<CompiledBlock>> compile_regions(
        std::span<const std::vector<RegionBlock>> regions) {
        std::vector<std::unique_ptr<CompiledBlock>> code;
        for (const std::vector<RegionBlock>& blocks : regions) code.push_back(compile_region(blocks));
        return code;
    }
};

}  // namespace mimic
