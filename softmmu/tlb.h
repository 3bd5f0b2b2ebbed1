// The per-vCPU soft TLB of system mode and its inline fast paths. Each MMU index (a privilege and
// translation regime, chosen by the frontend and carried in MemOp::mmu_index) has its own
// direct-mapped table. An entry caches one guest virtual page: the tag for loads and the tag for
// stores are the page's address when that access may take the fast path, and carry low flag
// bits otherwise (not mapped, MMIO, a page holding translated code, no permission).
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>

#include "engine/cpu_header.h"
#include "ir/memop.h"
#include "softmmu/memory_port.h"

namespace mimic::softmmu {

// Flag bits in a tag's page-offset bits: any of them makes the fast-path compare fail.
inline constexpr uint64_t kTlbInvalid = 1 << 0;  // no translation cached (or no permission)
inline constexpr uint64_t kTlbSlow = 1 << 1;     // translation cached, but accesses go through the port
                                                 // (MMIO, ROM stores, code pages, PMP finer than a page)
inline constexpr uint64_t kTlbEmpty = ~uint64_t(0);

struct TlbEntry {
    // Page address (vaddr & ~page mask) when the access may use the fast path.
    uint64_t read = kTlbEmpty;
    std::atomic<uint64_t> write{kTlbEmpty};  // other threads add kTlbSlow when the page gains code
    uint64_t exec = kTlbEmpty;
    uintptr_t addend = 0;  // host address = guest vaddr + addend (RAM and ROM pages)
};

// One direct-mapped table per MMU index. 2048 entries reach 8 MiB: benchmarks that sort or chase
// pointers through 4-8 MiB missed a 512-entry TLB on most accesses (QEMU sizes its TLB to the
// working set, up to far more). A flush clears only the tables filled since the last one.
struct SoftTlb {
    static constexpr unsigned kMmuIndexes = 4;
    static constexpr unsigned kBits = 11;
    static constexpr uint64_t kMask = (uint64_t(1) << kBits) - 1;

    TlbEntry entries[kMmuIndexes][1u << kBits];

    TlbEntry& entry(unsigned mmu_index, uint64_t vaddr) {
        return entries[mmu_index][(vaddr >> kGuestPageBits) & kMask];
    }
};

// True when [addr, addr+size) stays in one guest page and meets the op's alignment rule.
inline bool tlb_fast_ok(uint64_t addr, ir::MemOp op) {
    const unsigned size = op.size();
    return (addr & (kGuestPageSize - 1)) + size <= kGuestPageSize && !op.big_endian &&
           !(op.aligned && (addr & (size - 1)));
}

inline bool tlb_load(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t* value) {
    const TlbEntry& e = env->tlb->entry(op.mmu_index, addr);
    if (e.read == (addr & ~(kGuestPageSize - 1)) && tlb_fast_ok(addr, op)) {
        *value = load_host(reinterpret_cast<const uint8_t*>(addr + e.addend), op);
        return true;
    }
    return env->mem_port->load_slow(env, addr, op, value);
}

inline bool tlb_store(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t value) {
    const TlbEntry& e = env->tlb->entry(op.mmu_index, addr);
    if (e.write.load(std::memory_order_relaxed) == (addr & ~(kGuestPageSize - 1)) && tlb_fast_ok(addr, op)) {
        std::memcpy(reinterpret_cast<uint8_t*>(addr + e.addend), &value, op.size());  // little-endian host
        return true;
    }
    return env->mem_port->store_slow(env, addr, op, value);
}

}  // namespace mimic::softmmu
