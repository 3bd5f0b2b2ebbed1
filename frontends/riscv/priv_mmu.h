// Sv39/Sv48 address translation: the page-table walk of privileged spec 4.3.2 with hardware A/D
// updates, for the soft-MMU's TLB refill. Page-table memory is reached through PtwMemory.
#pragma once

#include <cstdint>

#include "frontends/riscv/cpu.h"

namespace mimic::riscv {

// Guest physical memory as the page-table walker sees it (implemented by the soft-MMU; tests use
// a vector). Each access is one aligned 8-byte PTE.
class PtwMemory {
public:
    enum class Cas { kSwapped, kChanged, kFault };
    virtual ~PtwMemory() = default;
    // False if paddr is not readable memory (MMIO or nothing): an access fault.
    virtual bool load64(uint64_t paddr, uint64_t& value) = 0;
    // Atomically replaces `expected` with `desired`. kChanged: memory held another value (the walk
    // reads the PTE again); kFault: not writable memory (ROM, MMIO, nothing).
    virtual Cas cas64(uint64_t paddr, uint64_t expected, uint64_t desired) = 0;
};

// PTE bits.
namespace pte {
inline constexpr uint64_t kV = 1, kR = 2, kW = 4, kX = 8, kU = 16, kG = 32, kA = 64, kD = 128;
inline constexpr unsigned kPpnShift = 10;
inline constexpr uint64_t kPpnMask = (1ull << 44) - 1;
// N (Svnapot), PBMT (Svpbmt) and the reserved bits: Mimic implements none, so any set bit faults.
inline constexpr uint64_t kReserved = 0x3ffull << 54;
}  // namespace pte

struct WalkResult {
    bool ok = false;
    uint64_t paddr = 0;       // of the translated address itself
    unsigned page_shift = 0;  // log2 of the mapping's size: 12, 21, 30 or 39
    // What the TLB may cache for this page at this privilege with the current SUM and MXR:
    // writable only once D is set, so the first store still comes back here to set it.
    bool readable = false, writable = false, executable = false;
    uint64_t cause = 0;  // if !ok: 12/13/15 page fault or 1/5/7 access fault (by access kind)
    uint64_t tval = 0;   // if !ok: the virtual address
};

// Translates `vaddr` for `access` at `effective_priv` (data_priv() for loads and stores, the
// current privilege for fetches). M-mode and satp Bare map 1:1 with every permission (PMP still
// applies to the result: see pmp_check). The walk's own PTE accesses are PMP-checked as S-mode
// accesses; A and D are set atomically through `mem`.
WalkResult translate(const CpuState& cpu, PtwMemory& mem, uint64_t vaddr, Access access, Priv effective_priv);

}  // namespace mimic::riscv
