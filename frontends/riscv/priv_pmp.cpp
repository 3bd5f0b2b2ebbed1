// PMP matching (privileged spec 3.7) and the pmpcfg/pmpaddr registers.
#include "frontends/riscv/priv_pmp.h"

namespace mimic::riscv {
namespace {

using namespace pmpcfg;

Match match_of(uint8_t cfg) {
    return Match((cfg & kA) >> kAShift);
}

// The byte range [lo, hi) entry i covers; false for OFF entries and empty TOR ranges. Addresses
// stay below 2^57 (pmpaddr holds 54 bits), so nothing overflows.
bool entry_range(const PmpState& pmp, unsigned i, uint64_t& lo, uint64_t& hi) {
    const uint64_t a = pmp.addr[i];
    switch (match_of(pmp.cfg[i])) {
        case kOff: return false;
        case kTor:
            lo = i == 0 ? 0 : pmp.addr[i - 1] << 2;
            hi = a << 2;
            return lo < hi;
        case kNa4:
            lo = a << 2;
            hi = lo + 4;
            return true;
        case kNapot: {
            // The run of trailing ones encodes the size: t ones mean 2^(t+3) bytes.
            const unsigned t = unsigned(__builtin_ctzll(~a));  // a < 2^54, so ~a != 0
            const uint64_t size = 1ull << (t + 3);
            lo = (a << 2) & ~(size - 1);
            hi = lo + size;
            return true;
        }
    }
    return false;
}

bool any_locked(const PmpState& pmp) {
    for (uint8_t c : pmp.cfg)
        if (c & kL) return true;
    return false;
}

}  // namespace

uint8_t pmp_perms(const PrivState& p, uint64_t paddr, unsigned size, Priv priv) {
    constexpr uint8_t kAll = kR | kW | kX;
    // An access running past the top of the address space matches nothing in its upper part.
    const unsigned __int128 end = (unsigned __int128)paddr + size;
    for (unsigned i = 0; i < PmpState::kEntries; ++i) {
        uint64_t lo, hi;
        if (!entry_range(p.pmp, i, lo, hi)) continue;
        if (end <= lo || paddr >= hi) continue;
        if (paddr < lo || end > hi) return 0;  // a partial match fails whatever the permissions
        const uint8_t cfg = p.pmp.cfg[i];
        if (priv == kPrivM && !(cfg & kL)) return kAll;
        return cfg & kAll;
    }
    // With entries implemented, an unmatched S or U access fails (even with every entry OFF).
    return priv == kPrivM ? kAll : 0;
}

bool pmp_check(const PrivState& p, uint64_t paddr, unsigned size, Access access, Priv priv) {
    const uint8_t need = access == Access::kRead ? kR : access == Access::kWrite ? kW : kX;
    return (pmp_perms(p, paddr, size, priv) & need) != 0;
}

bool pmp_page_uniform(const PrivState& p, uint64_t page_paddr, unsigned page_shift, Priv priv) {
    if (priv == kPrivM && !any_locked(p.pmp)) return true;  // M-mode is then never restricted
    const uint64_t page_lo = page_paddr;
    const unsigned __int128 page_hi = (unsigned __int128)page_paddr + (1ull << page_shift);
    for (unsigned i = 0; i < PmpState::kEntries; ++i) {
        uint64_t lo, hi;
        if (!entry_range(p.pmp, i, lo, hi)) continue;
        if (page_hi <= lo || page_lo >= hi) continue;
        // The first entry touching the page decides for all of it only if it covers all of it.
        return lo <= page_lo && page_hi <= hi;
    }
    return true;
}

uint64_t pmpcfg_read(const PrivState& p, unsigned n) {
    uint64_t v = 0;
    for (unsigned b = 0; b < 8; ++b) {
        const unsigned e = n * 4 + b;
        if (e < PmpState::kEntries) v |= uint64_t(p.pmp.cfg[e]) << (8 * b);
    }
    return v;
}

bool pmpcfg_write(PrivState& p, unsigned n, uint64_t value) {
    bool changed = false;
    for (unsigned b = 0; b < 8; ++b) {
        const unsigned e = n * 4 + b;
        if (e >= PmpState::kEntries) break;
        if (p.pmp.cfg[e] & kL) continue;  // locked until reset
        uint8_t c = uint8_t(value >> (8 * b));
        c &= kR | kW | kX | kA | kL;          // bits 6:5 are reserved: read as zero
        if ((c & kW) && !(c & kR)) c &= ~kW;  // R=0 W=1 is reserved: keep it unwritable
        changed |= c != p.pmp.cfg[e];
        p.pmp.cfg[e] = c;
    }
    return changed;
}

uint64_t pmpaddr_read(const PrivState& p, unsigned n) {
    return n < PmpState::kEntries ? p.pmp.addr[n] : 0;
}

bool pmpaddr_write(PrivState& p, unsigned n, uint64_t value) {
    if (n >= PmpState::kEntries) return false;
    if (p.pmp.cfg[n] & kL) return false;
    // A locked TOR entry also locks the address below it, its lower bound.
    if (n + 1 < PmpState::kEntries && (p.pmp.cfg[n + 1] & kL) && match_of(p.pmp.cfg[n + 1]) == kTor) return false;
    value &= PmpState::kAddrMask;
    const bool changed = value != p.pmp.addr[n];
    p.pmp.addr[n] = value;
    return changed;
}

}  // namespace mimic::riscv
