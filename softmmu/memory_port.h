// Guest memory as translated code sees it: a flat fast path (host base + per-page flags, inlined by
// every backend) and a MemoryPort that handles everything else (faults, code pages, MMIO).
#pragma once

#include <cstdint>
#include <cstring>

#include "engine/cpu_header.h"
#include "ir/memop.h"

namespace mimic {

inline constexpr unsigned kGuestPageBits = 12;
inline constexpr uint64_t kGuestPageSize = uint64_t(1) << kGuestPageBits;

enum PageFlags : uint8_t {
    kPageRead = 1 << 0,
    kPageWrite = 1 << 1,
    kPageExec = 1 << 2,
    kPageCode = 1 << 3,  // translated code comes from this page: stores go to the slow path
};

enum class Access : uint8_t { kRead, kWrite, kExecute };

class MemoryPort {
public:
    virtual ~MemoryPort() = default;
    // Return false after recording a guest exception in env (exception_pending, cause, tval).
    virtual bool load_slow(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t* value) = 0;
    virtual bool store_slow(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t value) = 0;
    // A host pointer for an atomic access of `size` bytes (naturally aligned), or nullptr after
    // recording the guest exception. `access` is kRead for a load-reserved, else kWrite.
    virtual void* atomic_pointer(CpuHeader* env, uint64_t addr, unsigned size, Access access) = 0;
    // Instruction fetch for translation, in the translating vCPU's current mode: false when
    // [addr, addr+size) cannot be executed. A port that knows the architectural cause (page fault
    // or access fault) stores it in *fault_cause; otherwise the frontend assumes a page fault.
    virtual bool fetch(CpuHeader* env, uint64_t addr, void* out, unsigned size, uint64_t* fault_cause) = 0;
    // The physical address blocks at virtual `pc` are cached and invalidated by. False after
    // recording the fetch fault in env (pc not executable). User mode: the identity, always true
    // (the frontend then raises the fault from a block of its own).
    virtual bool code_address(CpuHeader* env, uint64_t pc, uint64_t* paddr) {
        *paddr = pc;
        return true;
    }
    // The architecture changed how addresses translate (page tables, protection): forget cached
    // translations, all of them or those of the page holding vaddr. User mode caches none.
    virtual void flush_translations(CpuHeader* env) {}
    virtual void flush_translation(CpuHeader* env, uint64_t vaddr) { flush_translations(env); }
    // Whether every `access` (kRead or kWrite) to bytes in [first, end) takes the flat fast path
    // without the host refusing it, and goes on doing so until this vCPU next leaves generated code
    // or calls a helper: nothing else can change the range meanwhile (no other thread shares the
    // memory). The LLVM tier's versioned loops (backends/llvm/loop_versioning.cpp) ask before they
    // run without checks. False when unsure: the loop then runs with its checks.
    virtual bool stable_range(CpuHeader* env, uint64_t first, uint64_t end, Access access) { return false; }
};

// The inline fast paths, shared by the interpreter and the helpers. Accesses that cross a page, miss
// the permission, or touch a code page (stores) take the slow path.
// A guest load from host memory at p, sign- or zero-extended as the op says (little-endian host).
inline uint64_t load_host(const uint8_t* p, ir::MemOp op) {
    switch (op.log2_size) {
        case 0: return op.sign ? uint64_t(int64_t(int8_t(*p))) : *p;
        case 1: {
            uint16_t v;
            std::memcpy(&v, p, 2);
            return op.sign ? uint64_t(int64_t(int16_t(v))) : v;
        }
        case 2: {
            uint32_t v;
            std::memcpy(&v, p, 4);
            return op.sign ? uint64_t(int64_t(int32_t(v))) : v;
        }
        default: {
            uint64_t v;
            std::memcpy(&v, p, 8);
            return v;
        }
    }
}

// Whether the flat fast path may read (write) `size` bytes at addr: below the limit, within one
// page, and allowed by the page's flags (no code on it, for a write).
inline bool flat_readable(const CpuHeader* env, uint64_t addr, unsigned size) {
    return addr < env->mem_limit && (addr & (kGuestPageSize - 1)) + size <= kGuestPageSize &&
           (env->page_flags[addr >> kGuestPageBits] & kPageRead);
}
inline bool flat_writable(const CpuHeader* env, uint64_t addr, unsigned size) {
    return addr < env->mem_limit && (addr & (kGuestPageSize - 1)) + size <= kGuestPageSize &&
           (env->page_flags[addr >> kGuestPageBits] & (kPageWrite | kPageCode)) == kPageWrite;
}

inline bool fast_load(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t* value) {
    const unsigned size = op.size();
    if (flat_readable(env, addr, size) && !op.big_endian && !(op.aligned && (addr & (size - 1)))) {
        *value = load_host(env->mem_base + addr, op);
        return true;
    }
    return env->mem_port->load_slow(env, addr, op, value);
}

inline bool fast_store(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t value) {
    const unsigned size = op.size();
    if (flat_writable(env, addr, size) && !op.big_endian && !(op.aligned && (addr & (size - 1)))) {
        std::memcpy(env->mem_base + addr, &value, size);  // little-endian host
        return true;
    }
    return env->mem_port->store_slow(env, addr, op, value);
}

// The port's slow paths as plain functions, for generated code (the baseline and LLVM tiers) to
// call with the op as MemOp::encode() gives it.
inline bool generated_load_slow(CpuHeader* env, uint64_t addr, uint64_t memop, uint64_t* value) {
    return env->mem_port->load_slow(env, addr, ir::MemOp::decode(memop), value);
}
inline bool generated_store_slow(CpuHeader* env, uint64_t addr, uint64_t memop, uint64_t value) {
    return env->mem_port->store_slow(env, addr, ir::MemOp::decode(memop), value);
}
inline bool generated_stable_range(CpuHeader* env, uint64_t first, uint64_t end, uint64_t write) {
    return env->mem_port->stable_range(env, first, end, write ? Access::kWrite : Access::kRead);
}

}  // namespace mimic

namespace mimic {

// Told when a guest store hits a page that translated code came from (self-modifying code): the
// bytes [addr, addr + len) of that page are about to change. Only blocks made from those bytes
// go; data that shares a page with code does not cost a retranslation (QEMU's code bitmap).
class CodeObserver {
public:
    virtual ~CodeObserver() = default;
    virtual void code_written(uint64_t addr, uint64_t len) = 0;
};

// The part of guest memory the TB cache needs: marking pages as holding translated code.
class CodePageTracker {
public:
    virtual ~CodePageTracker() = default;
    virtual void set_code_page(uint64_t page_index, bool has_code) = 0;
    virtual void set_code_observer(CodeObserver* observer) = 0;
};

}  // namespace mimic
