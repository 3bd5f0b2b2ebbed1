// Physical memory protection: 16 entries (OFF/TOR/NA4/NAPOT, 4-byte grain, lock bits), the checks
// the soft-MMU makes on physical accesses, and the pmpcfg/pmpaddr CSR semantics.
#pragma once

#include <cstdint>

#include "frontends/riscv/priv_state.h"

namespace mimic::riscv {

// The accesses PMP allows to [paddr, paddr + size) at `priv`, as pmpcfg::kR|kW|kX bits. The
// lowest-numbered entry matching any byte decides; if it does not cover every byte, nothing is
// allowed. M-mode is bound only by locked entries; S and U by the first match, or get nothing.
uint8_t pmp_perms(const PrivState& p, uint64_t paddr, unsigned size, Priv priv);

bool pmp_check(const PrivState& p, uint64_t paddr, unsigned size, Access access, Priv priv);

// True if every access inside the naturally aligned 2^page_shift bytes at page_paddr gets the same
// answer at `priv`, so a TLB entry may cache pmp_perms(p, page_paddr, 1, priv) for the whole page.
// Otherwise every access to the page has to be checked on its own.
bool pmp_page_uniform(const PrivState& p, uint64_t page_paddr, unsigned page_shift, Priv priv);

// CSR semantics. `n` is the CSR's number within its group (pmpcfg0..15, pmpaddr0..63); the caller
// has ruled out odd pmpcfg numbers and numbers beyond the 16 entries. Writes return true if
// anything changed (the TLB must then be flushed).
uint64_t pmpcfg_read(const PrivState& p, unsigned n);
bool pmpcfg_write(PrivState& p, unsigned n, uint64_t value);
uint64_t pmpaddr_read(const PrivState& p, unsigned n);
bool pmpaddr_write(PrivState& p, unsigned n, uint64_t value);

}  // namespace mimic::riscv
