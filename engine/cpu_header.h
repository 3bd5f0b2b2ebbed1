// The common header every architecture's CPU state struct starts with. Generated code receives a
// pointer to it (`env`); the engine and the backends know nothing else of the guest's state.
#pragma once

#include <atomic>
#include <cstdint>

namespace mimic {

class MemoryPort;
struct JumpCacheEntry;
namespace softmmu {
struct SoftTlb;
}

struct CpuHeader {
    uint64_t pc = 0;                        // guest pc of the next instruction to run
    std::atomic<uint32_t> exit_request{0};  // another thread asks this vCPU to return to its run loop
    uint32_t pending_interrupts = 0;
    int64_t insn_budget = 0;

    // Guest memory: the inline fast path of loads and stores (see softmmu/memory_port.h).
    uint8_t* mem_base = nullptr;  // host address of guest address 0
    // Guest addresses [0, mem_limit) are backed. The host bytes past mem_base + mem_limit must
    // fault for at least the longest access (user::AddressSpace's guard): the inline fast paths
    // check only that an access starts below mem_limit.
    uint64_t mem_limit = 0;
    const uint8_t* page_flags = nullptr;  // PageFlags per guest page
    MemoryPort* mem_port = nullptr;       // slow paths: faults, self-modifying code, MMIO
    softmmu::SoftTlb* tlb = nullptr;      // system mode: the vCPU's TLB (softmmu/tlb.h)

    // Compiled code that jumps from block to block (ChainSlots) leaves through the direct exit of
    // whichever block ran last: it stores that block's chain slots here, so the engine knows
    // which block's exit it is following.
    void* exit_chain = nullptr;
    // The vCPU's jump cache while it runs guest code, which compiled code probes inline for
    // indirect jumps and unchained exits (see JumpCacheEntry).
    const JumpCacheEntry* jump_cache = nullptr;
    // With -d stats: host cycles spent in helper calls, and jumps compiled code resolved through
    // the jump cache, added up by the tiers' generated code.
    uint64_t helper_cycles = 0;
    uint64_t inline_lookups = 0;

    // Set by a helper or a slow path that raises a guest exception. The backend then leaves the
    // block with pc = the faulting instruction's pc.
    uint32_t exception_pending = 0;
    uint64_t exception_cause = 0;
    uint64_t exception_tval = 0;

    // MXCSR around the baseline tier's IEEE operations (ir::IeeeOp): the value loaded before one
    // (engine/host_fp.h's kMxcsrClear), where its flags go after, and where a slow path keeps the
    // flags not yet folded into the flags global while it calls C++.
    uint32_t mxcsr_clear = 0x1f80;
    uint32_t mxcsr_after = 0;
    uint32_t mxcsr_saved = 0;

    // Per-vCPU scratch for the interpreter tier: its constants and temporaries live here, so that
    // every operand (temporary, constant or guest register) is a word index from env. Its size
    // bounds the values one block may hold at once (see backends/interp).
    static constexpr size_t kScratchWords = 2048;
    alignas(64) uint64_t scratch[kScratchWords];
};

}  // namespace mimic
