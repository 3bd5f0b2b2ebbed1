// A vCPU's view of guest memory in system mode: its TLB, filled through the architecture's page
// walker (an AddressTranslator), and the slow paths behind the TLB's inline fast path — page
// walks, MMIO, stores to pages holding translated code, accesses that cross a page.
#pragma once

#include <cstdint>

#include "softmmu/memory_port.h"
#include "softmmu/physical_memory.h"
#include "softmmu/tlb.h"

namespace mimic::softmmu {

// What the architecture tells the soft-MMU: where a virtual address goes, and its fault causes.
class AddressTranslator {
public:
    struct Result {
        bool ok = false;
        uint64_t paddr = 0;       // of the translated address (ok)
        unsigned page_bits = 12;  // size of the mapping (superpages: 21, 30, 39)
        // What the TLB may allow on the whole 4 KiB page without asking again (ok): false for an
        // access that needs another walk first (a store to a page whose dirty bit is clear) or
        // that protection finer than a page governs.
        bool cache_read = false, cache_write = false, cache_exec = false;
        uint64_t cause = 0;  // the architectural fault (!ok); tval is the virtual address
    };
    virtual ~AddressTranslator() = default;
    virtual Result translate(CpuHeader* env, uint64_t vaddr, Access access, unsigned mmu_index) = 0;
    virtual uint64_t access_fault_cause(Access access) const = 0;  // nothing at the physical address
    virtual uint64_t misaligned_cause(Access access) const = 0;    // atomics and aligned-only ops
    virtual unsigned fetch_mmu_index(const CpuHeader* env) const = 0;
    virtual unsigned data_mmu_index(const CpuHeader* env) const = 0;
};

class SoftMmu final : public MemoryPort {
public:
    SoftMmu(PhysicalMemory& memory, AddressTranslator& translator);
    ~SoftMmu() override;
    SoftMmu(const SoftMmu&) = delete;
    SoftMmu& operator=(const SoftMmu&) = delete;

    // Points env at this TLB and port.
    void attach(CpuHeader& env);

    // Forget cached translations: all of them, or those of one virtual page in every MMU index.
    void flush();
    void flush_page(uint64_t vaddr);
    // True once after a flush: the vCPU's jump cache (keyed by virtual pc) must be cleared too.
    bool take_flushed() {
        const bool f = flushed_;
        flushed_ = false;
        return f;
    }

    // MemoryPort
    bool load_slow(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t* value) override;
    bool store_slow(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t value) override;
    void* atomic_pointer(CpuHeader* env, uint64_t addr, unsigned size, Access access) override;
    bool fetch(CpuHeader* env, uint64_t addr, void* out, unsigned size, uint64_t* fault_cause) override;
    bool code_address(CpuHeader* env, uint64_t pc, uint64_t* paddr) override;
    void flush_translations(CpuHeader*) override { flush(); }
    void flush_translation(CpuHeader*, uint64_t vaddr) override { flush_page(vaddr); }

private:
    // Where a cached page lives physically (parallel to the TLB's entries).
    struct PageInfo {
        uint64_t paddr_page = 0;
        const Region* region = nullptr;
    };
    struct Target {
        uint64_t paddr;
        const Region* region;
        TlbEntry* entry;
    };

    // Translates addr for the access, through the TLB (filling it on a miss). Records the guest
    // exception in env and returns false on a fault.
    bool lookup(CpuHeader* env, uint64_t addr, Access access, unsigned mmu_index, Target& out);
    bool code_target(CpuHeader* env, uint64_t pc, Target& t);
    bool fill(CpuHeader* env, uint64_t addr, Access access, unsigned mmu_index);
    bool raise(CpuHeader* env, uint64_t cause, uint64_t addr);
    bool load_one_page(CpuHeader* env, uint64_t addr, unsigned size, unsigned mmu_index, uint64_t* value);
    bool store_one_page(CpuHeader* env, uint64_t addr, unsigned size, unsigned mmu_index, uint64_t value);
    void refresh_write_tag(const Target& t, uint64_t vpage);

    PhysicalMemory& memory_;
    AddressTranslator& translator_;
    SoftTlb tlb_;
    PageInfo info_[SoftTlb::kMmuIndexes][1u << SoftTlb::kBits];
    bool has_superpages_ = false;  // a superpage is cached: flushing one page flushes everything
    uint8_t filled_ = 0;           // bit i: tlb_.entries[i] has been filled since the last flush
    bool flushed_ = false;
};

}  // namespace mimic::softmmu
