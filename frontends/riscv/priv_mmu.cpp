// The Sv39/Sv48 walk (privileged spec 4.3.2, with 4.4 and 4.5 for the 64-bit formats).
#include "frontends/riscv/priv_mmu.h"

#include "frontends/riscv/priv_pmp.h"

namespace mimic::riscv {
namespace {

uint64_t page_fault(Access a) {
    switch (a) {
        case Access::kRead: return kLoadPageFault;
        case Access::kWrite: return kStorePageFault;
        case Access::kExecute: return kInstructionPageFault;
    }
    return kLoadPageFault;
}

uint64_t access_fault(Access a) {
    switch (a) {
        case Access::kRead: return kLoadAccessFault;
        case Access::kWrite: return kStoreAccessFault;
        case Access::kExecute: return kInstructionAccessFault;
    }
    return kLoadAccessFault;
}

WalkResult fault(uint64_t cause, uint64_t vaddr) {
    WalkResult r;
    r.cause = cause;
    r.tval = vaddr;
    return r;
}

struct Perms {
    bool r, w, x;
};

// What a leaf PTE grants at `priv` under the current SUM and MXR (ignoring A and D).
Perms leaf_perms(uint64_t e, uint64_t status, Priv priv) {
    using namespace pte;
    bool data_ok, exec_ok;
    if (priv == kPrivU) {
        data_ok = exec_ok = (e & kU) != 0;
    } else {
        // S-mode never executes user pages and touches their data only with SUM.
        exec_ok = !(e & kU);
        data_ok = !(e & kU) || (status & mstatus::kSum);
    }
    const bool readable = (e & kR) || ((status & mstatus::kMxr) && (e & kX));
    return {data_ok && readable, data_ok && (e & kW), exec_ok && (e & kX)};
}

bool permits(const Perms& p, Access a) {
    return a == Access::kRead ? p.r : a == Access::kWrite ? p.w : p.x;
}

}  // namespace

WalkResult translate(const CpuState& cpu, PtwMemory& mem, uint64_t vaddr, Access access, Priv effective_priv) {
    using namespace pte;
    const PrivState& ps = cpu.priv;
    const uint64_t mode = ps.satp >> satp::kModeShift;
    if (effective_priv == kPrivM || mode == satp::kModeBare) {
        WalkResult r;
        r.ok = true;
        r.paddr = vaddr;
        r.page_shift = 12;
        r.readable = r.writable = r.executable = true;
        return r;
    }
    const int levels = mode == satp::kModeSv39 ? 3 : 4;
    const unsigned va_bits = 12 + 9 * levels;
    // Bits above the virtual address width must copy its top bit.
    const int64_t canonical = int64_t(vaddr << (64 - va_bits)) >> (64 - va_bits);
    if (uint64_t(canonical) != vaddr) return fault(page_fault(access), vaddr);

    uint64_t table = (ps.satp & satp::kPpnMask) << 12;
    for (int level = levels - 1; level >= 0; --level) {
        const unsigned shift = 12 + 9 * level;
        const uint64_t pte_addr = table + ((vaddr >> shift) & 511) * 8;
        for (;;) {  // reread after a lost A/D update race
            uint64_t e;
            if (!pmp_check(ps, pte_addr, 8, Access::kRead, kPrivS) || !mem.load64(pte_addr, e))
                return fault(access_fault(access), vaddr);
            if (!(e & kV) || (!(e & kR) && (e & kW)) || (e & kReserved)) return fault(page_fault(access), vaddr);
            const uint64_t ppn = (e >> kPpnShift) & kPpnMask;
            if (!(e & (kR | kX))) {
                // A pointer: D, A and U are reserved in non-leaf PTEs, and the last level must be a leaf.
                if ((e & (kD | kA | kU)) || level == 0) return fault(page_fault(access), vaddr);
                table = ppn << 12;
                break;
            }
            const Perms perms = leaf_perms(e, ps.mstatus, effective_priv);
            if (!permits(perms, access)) return fault(page_fault(access), vaddr);
            const uint64_t low_ppn_mask = (1ull << (9 * level)) - 1;
            if (ppn & low_ppn_mask) return fault(page_fault(access), vaddr);  // misaligned superpage
            const bool store = access == Access::kWrite;
            if (!(e & kA) || (store && !(e & kD))) {
                if (!pmp_check(ps, pte_addr, 8, Access::kWrite, kPrivS)) return fault(access_fault(access), vaddr);
                const uint64_t updated = e | kA | (store ? kD : 0);
                const PtwMemory::Cas cas = mem.cas64(pte_addr, e, updated);
                if (cas == PtwMemory::Cas::kChanged) continue;
                if (cas == PtwMemory::Cas::kFault) return fault(access_fault(access), vaddr);
                e = updated;
            }
            WalkResult r;
            r.ok = true;
            r.page_shift = shift;
            r.paddr = (ppn << 12) | (vaddr & ((1ull << shift) - 1));
            r.readable = perms.r;
            r.writable = perms.w && (e & kD);
            r.executable = perms.x;
            return r;
        }
    }
    return fault(page_fault(access), vaddr);  // not reached: level 0 always returns
}

}  // namespace mimic::riscv
