// The soft-MMU's slow paths: TLB fill through the architecture's translator, RAM/ROM/MMIO
// dispatch, page-crossing accesses, and self-modifying code.
#include "softmmu/soft_mmu.h"

#include <cinttypes>
#include <cstring>

#include "engine/log.h"

namespace mimic::softmmu {

namespace {

constexpr uint64_t kPageMask = ~(kGuestPageSize - 1);

uint64_t page_of(uint64_t addr) {
    return addr & kPageMask;
}

uint64_t tag_for(const TlbEntry& e, Access access) {
    switch (access) {
        case Access::kRead: return e.read;
        case Access::kWrite: return e.write.load(std::memory_order_relaxed);
        case Access::kExecute: return e.exec;
    }
    return kTlbEmpty;
}

uint64_t sign_extend(uint64_t v, unsigned size) {
    return size < 8 ? uint64_t(int64_t(v << (64 - 8 * size)) >> (64 - 8 * size)) : v;
}

}  // namespace

SoftMmu::SoftMmu(PhysicalMemory& memory, AddressTranslator& translator) : memory_(memory), translator_(translator) {
    memory_.register_tlb(&tlb_);
}

SoftMmu::~SoftMmu() {
    memory_.unregister_tlb(&tlb_);
}

void SoftMmu::attach(CpuHeader& env) {
    env.mem_port = this;
    env.tlb = &tlb_;
}

void SoftMmu::flush() {
    for (unsigned i = 0; i < SoftTlb::kMmuIndexes; ++i) {
        if (!(filled_ & (1u << i))) continue;
        for (TlbEntry& e : tlb_.entries[i]) {
            e.read = e.exec = kTlbEmpty;
            e.write.store(kTlbEmpty, std::memory_order_relaxed);
        }
    }
    filled_ = 0;
    has_superpages_ = false;
    flushed_ = true;
}

void SoftMmu::flush_page(uint64_t vaddr) {
    if (has_superpages_) return flush();  // a superpage is cached a 4 KiB piece at a time
    for (unsigned i = 0; i < SoftTlb::kMmuIndexes; ++i) {
        TlbEntry& e = tlb_.entry(i, vaddr);
        e.read = e.exec = kTlbEmpty;
        e.write.store(kTlbEmpty, std::memory_order_relaxed);
    }
    flushed_ = true;
}

bool SoftMmu::raise(CpuHeader* env, uint64_t cause, uint64_t addr) {
    env->exception_pending = 1;
    env->exception_cause = cause;
    env->exception_tval = addr;
    return false;
}

// Walks the page table for addr and caches the result. `out` of lookup() is filled by the caller
// from the entry, or (when the translation may not be cached) from here.
bool SoftMmu::fill(CpuHeader* env, uint64_t addr, Access access, unsigned mmu_index) {
    const AddressTranslator::Result r = translator_.translate(env, addr, access, mmu_index);
    if (!r.ok) return raise(env, r.cause, addr);
    const Region* region = memory_.find(r.paddr);
    if (!region) {
        if (Log* log = memory_.log(); log && log->enabled(kLogGuestErrors))
            log->printf("guest_errors: access to unassigned physical address 0x%" PRIx64 " (virtual 0x%" PRIx64
                        ", pc 0x%" PRIx64 ")\n",
                        r.paddr, addr, env->pc);
        return raise(env, translator_.access_fault_cause(access), addr);
    }
    if (r.page_bits > kGuestPageBits) has_superpages_ = true;
    filled_ |= 1u << mmu_index;

    const uint64_t vpage = page_of(addr);
    const uint64_t ppage = page_of(r.paddr);
    TlbEntry& e = tlb_.entry(mmu_index, addr);
    PageInfo& info = info_[mmu_index][(addr >> kGuestPageBits) & SoftTlb::kMask];
    // MMIO, and pages shared with an overlay, resolve their region on every access.
    const bool mmio = region->kind == RegionKind::kMmio || memory_.page_has_overlay(ppage >> kGuestPageBits);
    const uint64_t slow = mmio ? kTlbSlow : 0;
    e.read = r.cache_read ? vpage | slow : kTlbInvalid;
    e.exec = r.cache_exec ? vpage | slow : kTlbInvalid;
    uint64_t write = kTlbInvalid;
    if (r.cache_write) {
        const bool fast = !mmio && region->kind == RegionKind::kRam && !memory_.is_code_page(ppage >> kGuestPageBits);
        write = vpage | (fast ? 0 : kTlbSlow);
    }
    e.addend = region->host ? uintptr_t(region->host + (ppage - region->base)) - vpage : 0;
    e.write.store(write, std::memory_order_seq_cst);
    // Another vCPU may have made the page a code page since the check above, and scanned this TLB
    // before the store: look again (PhysicalMemory::set_code_page sets the flag, then scans).
    if (!(write & (kGuestPageSize - 1)) && memory_.is_code_page(ppage >> kGuestPageBits))
        e.write.fetch_or(kTlbSlow, std::memory_order_seq_cst);
    info = {ppage, mmio ? nullptr : region};
    return true;
}

bool SoftMmu::lookup(CpuHeader* env, uint64_t addr, Access access, unsigned mmu_index, Target& out) {
    TlbEntry& e = tlb_.entry(mmu_index, addr);
    const PageInfo& info = info_[mmu_index][(addr >> kGuestPageBits) & SoftTlb::kMask];
    if ((tag_for(e, access) & ~kTlbSlow) != page_of(addr)) {
        if (!fill(env, addr, access, mmu_index)) return false;
        if ((tag_for(e, access) & ~kTlbSlow) != page_of(addr)) {
            // Allowed this once, but not cacheable (protection finer than a page): ask every time.
            const AddressTranslator::Result r = translator_.translate(env, addr, access, mmu_index);
            if (!r.ok) return raise(env, r.cause, addr);
            out = {r.paddr, memory_.find(r.paddr), nullptr};
            return out.region ? true : raise(env, translator_.access_fault_cause(access), addr);
        }
    }
    const uint64_t paddr = info.paddr_page | (addr & ~kPageMask);
    out = {paddr, info.region ? info.region : memory_.find(paddr), &e};
    return out.region ? true : raise(env, translator_.access_fault_cause(access), addr);
}

bool SoftMmu::load_one_page(CpuHeader* env, uint64_t addr, unsigned size, unsigned mmu_index, uint64_t* value) {
    Target t;
    if (!lookup(env, addr, Access::kRead, mmu_index, t)) return false;
    if (t.region->kind == RegionKind::kMmio) {
        if (!memory_.mmio_read(*t.region, t.paddr, size, value))
            return raise(env, translator_.access_fault_cause(Access::kRead), addr);
        return true;
    }
    *value = 0;
    std::memcpy(value, t.region->host + (t.paddr - t.region->base), size);
    return true;
}

bool SoftMmu::load_slow(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t* value) {
    const unsigned size = op.size();
    if (op.aligned && (addr & (size - 1))) return raise(env, translator_.misaligned_cause(Access::kRead), addr);
    const uint64_t in_page = kGuestPageSize - (addr & (kGuestPageSize - 1));
    uint64_t v = 0;
    if (size <= in_page) {
        if (!load_one_page(env, addr, size, op.mmu_index, &v)) return false;
    } else {
        // Crosses a page: both halves must translate before either is read (a device read may
        // have side effects, and the instruction will run again after the fault).
        Target first, second;
        if (!lookup(env, addr, Access::kRead, op.mmu_index, first) ||
            !lookup(env, addr + in_page, Access::kRead, op.mmu_index, second))
            return false;
        uint64_t lo = 0, hi = 0;
        if (!load_one_page(env, addr, unsigned(in_page), op.mmu_index, &lo)) return false;
        if (!load_one_page(env, addr + in_page, unsigned(size - in_page), op.mmu_index, &hi)) return false;
        v = lo | hi << (8 * in_page);
    }
    if (op.big_endian) v = __builtin_bswap64(v) >> (64 - 8 * size);
    *value = op.sign ? sign_extend(v, size) : v;
    return true;
}

void SoftMmu::refresh_write_tag(const Target& t, uint64_t vpage) {
    // A slow write tag on a RAM page was slow only for the code the store has just invalidated.
    // (A page shared with an overlay device stays slow for good.)
    if (!t.entry || t.region->kind != RegionKind::kRam) return;
    const uint64_t page = t.paddr >> kGuestPageBits;
    if (memory_.is_code_page(page) || memory_.page_has_overlay(page)) return;
    uint64_t expected = vpage | kTlbSlow;
    // As in fill(): another vCPU may make the page a code page between the check and the exchange.
    if (t.entry->write.compare_exchange_strong(expected, vpage, std::memory_order_seq_cst) &&
        memory_.is_code_page(page))
        t.entry->write.fetch_or(kTlbSlow, std::memory_order_seq_cst);
}

bool SoftMmu::store_one_page(CpuHeader* env, uint64_t addr, unsigned size, unsigned mmu_index, uint64_t value) {
    Target t;
    if (!lookup(env, addr, Access::kWrite, mmu_index, t)) return false;
    switch (t.region->kind) {
        case RegionKind::kMmio:
            if (!memory_.mmio_write(*t.region, t.paddr, size, value))
                return raise(env, translator_.access_fault_cause(Access::kWrite), addr);
            return true;
        case RegionKind::kRom:
            if (Log* log = memory_.log(); log && log->enabled(kLogGuestErrors))
                log->printf("guest_errors: write to ROM %s at 0x%" PRIx64 " ignored\n", t.region->name.c_str(),
                            t.paddr);
            return true;
        case RegionKind::kRam:
            memory_.notify_code_write(t.paddr, size);  // self-modifying code: drop the blocks first
            std::memcpy(t.region->host + (t.paddr - t.region->base), &value, size);
            refresh_write_tag(t, page_of(addr));
            return true;
    }
    return true;
}

bool SoftMmu::store_slow(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t value) {
    const unsigned size = op.size();
    if (op.aligned && (addr & (size - 1))) return raise(env, translator_.misaligned_cause(Access::kWrite), addr);
    if (op.big_endian) value = __builtin_bswap64(value) >> (64 - 8 * size);
    const uint64_t in_page = kGuestPageSize - (addr & (kGuestPageSize - 1));
    if (size <= in_page) return store_one_page(env, addr, size, op.mmu_index, value);
    // Crosses a page: check that the second half translates before writing the first.
    Target second;
    if (!lookup(env, addr + in_page, Access::kWrite, op.mmu_index, second)) return false;
    if (!store_one_page(env, addr, unsigned(in_page), op.mmu_index, value)) return false;
    return store_one_page(env, addr + in_page, unsigned(size - in_page), op.mmu_index, value >> (8 * in_page));
}

void* SoftMmu::atomic_pointer(CpuHeader* env, uint64_t addr, unsigned size, Access access) {
    if (addr & (size - 1)) return raise(env, translator_.misaligned_cause(access), addr), nullptr;
    Target t;
    if (!lookup(env, addr, access, translator_.data_mmu_index(env), t)) return nullptr;
    if (t.region->kind != RegionKind::kRam)  // atomics on devices or ROM: the bus refuses them
        return raise(env, translator_.access_fault_cause(access), addr), nullptr;
    if (access != Access::kRead) memory_.notify_code_write(t.paddr, size);
    return t.region->host + (t.paddr - t.region->base);
}

bool SoftMmu::code_target(CpuHeader* env, uint64_t pc, Target& t) {
    if (!lookup(env, pc, Access::kExecute, translator_.fetch_mmu_index(env), t)) return false;
    if (t.region->kind == RegionKind::kMmio) return raise(env, translator_.access_fault_cause(Access::kExecute), pc);
    return true;
}

bool SoftMmu::fetch(CpuHeader* env, uint64_t addr, void* out, unsigned size, uint64_t* fault_cause) {
    const uint64_t in_page = kGuestPageSize - (addr & (kGuestPageSize - 1));
    if (size > in_page)  // each virtual page translates on its own
        return fetch(env, addr, out, unsigned(in_page), fault_cause) &&
               fetch(env, addr + in_page, static_cast<uint8_t*>(out) + in_page, unsigned(size - in_page), fault_cause);
    Target t;
    if (!code_target(env, addr, t)) {
        *fault_cause = env->exception_cause;
        env->exception_pending = 0;  // the translated block raises it, if it gets that far
        return false;
    }
    std::memcpy(out, t.region->host + (t.paddr - t.region->base), size);
    return true;
}

bool SoftMmu::code_address(CpuHeader* env, uint64_t pc, uint64_t* paddr) {
    Target t;
    if (!code_target(env, pc, t)) return false;
    *paddr = t.paddr;
    return true;
}

}  // namespace mimic::softmmu
