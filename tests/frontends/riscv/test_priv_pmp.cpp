// PMP: TOR, NA4 and NAPOT matching, priority, partial matches, locking (for M-mode and for writes),
// the per-page uniformity answer for the TLB, and the pmpcfg/pmpaddr CSRs.
#include <catch2/catch.hpp>

#include "tests/frontends/riscv/test_priv_util.h"

using namespace mimic::test::priv;
using namespace mimic::riscv::pmpcfg;

namespace {

constexpr uint8_t cfg(Match m, uint8_t perms) {
    return uint8_t((m << kAShift) | perms);
}

uint64_t napot(uint64_t base, uint64_t size) {
    return (base >> 2) | ((size >> 3) - 1);
}

bool ok(const PrivState& p, uint64_t addr, unsigned size, Access a, Priv priv) {
    return pmp_check(p, addr, size, a, priv);
}

}  // namespace

TEST_CASE("PMP with no active entry: M passes, S and U fail", "[riscv][priv]") {
    auto cpu = make_cpu();
    const PrivState& p = cpu->priv;
    CHECK(ok(p, 0x80000000, 8, Access::kWrite, kPrivM));
    CHECK(ok(p, 0x80000000, 4, Access::kExecute, kPrivM));
    CHECK_FALSE(ok(p, 0x80000000, 8, Access::kRead, kPrivS));
    CHECK_FALSE(ok(p, 0x80000000, 8, Access::kRead, kPrivU));
}

TEST_CASE("PMP TOR ranges, including entry 0 from address zero", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.pmp.addr[0] = 0x1000 >> 2;
    p.pmp.cfg[0] = cfg(kTor, kR);  // [0, 0x1000)
    p.pmp.addr[1] = 0x3000 >> 2;
    p.pmp.cfg[1] = cfg(kTor, kR | kW);  // [0x1000, 0x3000)
    CHECK(ok(p, 0, 8, Access::kRead, kPrivS));
    CHECK(ok(p, 0xff8, 8, Access::kRead, kPrivU));
    CHECK_FALSE(ok(p, 0xff8, 8, Access::kWrite, kPrivS));
    CHECK(ok(p, 0x1000, 8, Access::kWrite, kPrivS));
    CHECK(ok(p, 0x2ff8, 8, Access::kWrite, kPrivS));
    CHECK_FALSE(ok(p, 0x3000, 1, Access::kRead, kPrivS));
    CHECK_FALSE(ok(p, 0x1000, 4, Access::kExecute, kPrivS));
    // Straddling the end of entry 1: a partial match fails though both halves are readable...
    CHECK_FALSE(ok(p, 0x2ffc, 8, Access::kRead, kPrivS));
    // ...and so does straddling two entries that both allow it.
    CHECK_FALSE(ok(p, 0xffc, 8, Access::kRead, kPrivS));

    // A TOR entry whose bound is not above the previous one matches nothing.
    p.pmp.addr[2] = 0x2000 >> 2;
    p.pmp.cfg[2] = cfg(kTor, kR | kW | kX);
    p.pmp.cfg[1] = 0;
    CHECK_FALSE(ok(p, 0x1800, 4, Access::kExecute, kPrivS));
}

TEST_CASE("PMP NA4 and NAPOT", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.pmp.addr[0] = 0x80000100 >> 2;
    p.pmp.cfg[0] = cfg(kNa4, kR | kW);
    p.pmp.addr[1] = napot(0x80000000, 0x1000);
    p.pmp.cfg[1] = cfg(kNapot, kR | kX);
    CHECK(ok(p, 0x80000100, 4, Access::kWrite, kPrivS));
    CHECK_FALSE(ok(p, 0x80000100, 8, Access::kRead, kPrivS));   // runs past the 4 bytes
    CHECK_FALSE(ok(p, 0x80000104, 4, Access::kWrite, kPrivS));  // entry 1: read/execute
    CHECK(ok(p, 0x80000104, 4, Access::kExecute, kPrivS));
    CHECK(ok(p, 0x80000000, 8, Access::kRead, kPrivU));
    CHECK(ok(p, 0x80000ff8, 8, Access::kRead, kPrivU));
    CHECK_FALSE(ok(p, 0x80001000, 8, Access::kRead, kPrivU));
    CHECK_FALSE(ok(p, 0x7ffffffc, 4, Access::kRead, kPrivU));

    // The smallest NAPOT (8 bytes) and the largest (all ones: everything).
    p.pmp.addr[2] = napot(0x90000008, 8);
    p.pmp.cfg[2] = cfg(kNapot, kR);
    CHECK(ok(p, 0x90000008, 8, Access::kRead, kPrivS));
    CHECK_FALSE(ok(p, 0x90000010, 4, Access::kRead, kPrivS));
    p.pmp.addr[3] = PmpState::kAddrMask;
    p.pmp.cfg[3] = cfg(kNapot, kW | kR);
    CHECK(ok(p, 0xff0000000000, 8, Access::kWrite, kPrivS));
    CHECK(ok(p, 0, 8, Access::kWrite, kPrivS));
}

TEST_CASE("PMP: the lowest-numbered matching entry wins", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.pmp.addr[0] = napot(0x80002000, 0x1000);
    p.pmp.cfg[0] = cfg(kNapot, kR);
    p.pmp.addr[1] = napot(0x80000000, 0x100000);
    p.pmp.cfg[1] = cfg(kNapot, kR | kW | kX);
    CHECK_FALSE(ok(p, 0x80002010, 8, Access::kWrite, kPrivS));
    CHECK(ok(p, 0x80003010, 8, Access::kWrite, kPrivS));
    CHECK(pmp_perms(p, 0x80002000, 1, kPrivS) == kR);
    CHECK(pmp_perms(p, 0x80001000, 1, kPrivS) == (kR | kW | kX));
}

TEST_CASE("PMP lock: binds M-mode and freezes the entry", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.pmp.addr[0] = napot(0x80000000, 0x1000);
    p.pmp.cfg[0] = cfg(kNapot, kR);
    CHECK(ok(p, 0x80000000, 8, Access::kWrite, kPrivM));  // unlocked: M ignores it
    p.pmp.cfg[0] |= kL;
    CHECK_FALSE(ok(p, 0x80000000, 8, Access::kWrite, kPrivM));
    CHECK(ok(p, 0x80000000, 8, Access::kRead, kPrivM));
    CHECK(ok(p, 0x90000000, 8, Access::kWrite, kPrivM));  // M outside every entry

    // Writes to a locked entry's cfg and address are ignored.
    CHECK(csr_write(*cpu, 0x3a0, cfg(kNapot, kR | kW | kX)).flags == 0);
    CHECK(p.pmp.cfg[0] == (cfg(kNapot, kR) | kL));
    CHECK(csr_write(*cpu, 0x3b0, 0).ok);
    CHECK(p.pmp.addr[0] == napot(0x80000000, 0x1000));

    // A locked TOR entry also locks the address register below it; a locked NAPOT does not.
    csr_write(*cpu, 0x3a0, uint64_t(cfg(kTor, kR) | kL) << 16);  // entry 2
    CHECK(csr_write(*cpu, 0x3b1, 0x1234).flags == 0);
    CHECK(p.pmp.addr[1] == 0);
    p.pmp.cfg[2] = 0;
    p.pmp.cfg[4] = cfg(kNapot, kR) | kL;
    CHECK(csr_write(*cpu, 0x3b3, 0x1234).flags == kCsrFlushTlb);
    CHECK(p.pmp.addr[3] == 0x1234);
}

TEST_CASE("pmp_page_uniform: may a TLB entry cache one answer for the page", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    CHECK(pmp_page_uniform(p, 0x80000000, 12, kPrivS));  // nothing matches anywhere
    p.pmp.addr[0] = napot(0x80000000, 0x200000);
    p.pmp.cfg[0] = cfg(kNapot, kR | kW);
    CHECK(pmp_page_uniform(p, 0x80001000, 12, kPrivS));
    CHECK(pmp_page_uniform(p, 0x80000000, 21, kPrivS));
    CHECK_FALSE(pmp_page_uniform(p, 0x80000000, 30, kPrivS));  // a gigapage only partly covered
    CHECK(pmp_page_uniform(p, 0x90000000, 12, kPrivS));

    // A small earlier entry inside the page splits it.
    p.pmp.addr[1] = p.pmp.addr[0];
    p.pmp.cfg[1] = p.pmp.cfg[0];
    p.pmp.addr[0] = 0x80001100 >> 2;
    p.pmp.cfg[0] = cfg(kNa4, kR);
    CHECK_FALSE(pmp_page_uniform(p, 0x80001000, 12, kPrivS));
    CHECK(pmp_page_uniform(p, 0x80002000, 12, kPrivS));
    CHECK(pmp_page_uniform(p, 0x80001000, 12, kPrivM));  // nothing locked: M is unrestricted
    p.pmp.cfg[0] |= kL;
    CHECK_FALSE(pmp_page_uniform(p, 0x80001000, 12, kPrivM));
}

TEST_CASE("pmpcfg and pmpaddr CSRs", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    uint64_t v;
    CHECK_FALSE(csr_read(*cpu, 0x3a1, v).ok);  // odd pmpcfg: RV32 only
    CHECK_FALSE(csr_read(*cpu, 0x3a4, v).ok);  // entries 16+ do not exist
    CHECK_FALSE(csr_read(*cpu, 0x3c0, v).ok);  // pmpaddr16
    CHECK(csr_read(*cpu, 0x3a2, v).ok);
    CHECK(csr_read(*cpu, 0x3bf, v).ok);

    // Entry 1 gets every bit (reserved 6:5 read as zero, and L), entry 2 W without R (W dropped).
    CHECK(csr_write(*cpu, 0x3a0, 0x00'0a'ff'0f).flags == kCsrFlushTlb);
    CHECK(p.pmp.cfg[0] == 0x0f);
    CHECK(p.pmp.cfg[1] == 0x9f);
    CHECK(p.pmp.cfg[2] == 0x08);
    REQUIRE(csr_read(*cpu, 0x3a0, v).ok);
    CHECK(v == 0x08'9f'0f);
    csr_write(*cpu, 0x3a2, 0x1aull << 56);  // entry 15
    CHECK(p.pmp.cfg[15] == 0x18);           // NAPOT, W alone cleared

    CHECK(csr_write(*cpu, 0x3b5, ~uint64_t(0)).flags == kCsrFlushTlb);
    REQUIRE(csr_read(*cpu, 0x3b5, v).ok);
    CHECK(v == PmpState::kAddrMask);
    CHECK(csr_write(*cpu, 0x3b5, ~uint64_t(0)).flags == 0);

    p.priv = kPrivS;
    CHECK_FALSE(csr_read(*cpu, 0x3a0, v).ok);
    CHECK_FALSE(csr_read(*cpu, 0x3b0, v).ok);
}
