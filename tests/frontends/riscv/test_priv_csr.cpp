// CSR semantics of the privileged architecture: which accesses are legal at which privilege, the
// WARL fields, the mip/sip/sie views, counters and their enables, Sstc, and the engine flags.
#include <catch2/catch.hpp>

#include "tests/frontends/riscv/test_priv_util.h"

using namespace mimic::test::priv;

namespace {

uint64_t rd(CpuState& cpu, unsigned csr) {
    uint64_t v = 0xdeadbeef;
    REQUIRE(csr_read(cpu, csr, v).ok);
    return v;
}

bool can_read(CpuState& cpu, unsigned csr) {
    uint64_t v;
    return csr_read(cpu, csr, v).ok;
}

uint32_t wr(CpuState& cpu, unsigned csr, uint64_t value) {
    const CsrResult r = csr_write(cpu, csr, value);
    REQUIRE(r.ok);
    return r.flags;
}

}  // namespace

TEST_CASE("CSR numbers encode the lowest privilege and read-only", "[riscv][priv]") {
    auto cpu = make_cpu(nullptr, 5);
    CHECK(can_read(*cpu, 0x300));  // mstatus in M
    cpu->priv.priv = kPrivS;
    CHECK_FALSE(can_read(*cpu, 0x300));  // mstatus needs M
    CHECK(can_read(*cpu, 0x100));        // sstatus
    CHECK_FALSE(can_read(*cpu, 0xf14));  // mhartid
    cpu->priv.priv = kPrivU;
    CHECK_FALSE(can_read(*cpu, 0x100));
    CHECK_FALSE(can_read(*cpu, 0x140));  // sscratch

    cpu->priv.priv = kPrivM;
    CHECK(rd(*cpu, 0xf14) == 5);
    CHECK_FALSE(csr_write(*cpu, 0xf14, 0).ok);  // read-only numbers reject any write...
    uint64_t old = 0;
    CHECK(csr_access(*cpu, 0xf14, CsrOp::kSet, 0, false, old).ok);  // ...but csrrs with x0 only reads
    CHECK(old == 5);
    CHECK_FALSE(csr_access(*cpu, 0xf14, CsrOp::kSet, 0, true, old).ok);
    for (unsigned id : {0xf11u, 0xf12u, 0xf13u, 0xf15u}) CHECK(rd(*cpu, id) == 0);
}

TEST_CASE("CSRs Mimic lacks are illegal even in M-mode", "[riscv][priv]") {
    auto cpu = make_cpu();
    for (unsigned csr : {0x600u /*hstatus*/, 0x7b0u /*dcsr*/, 0xb01u /*no mtime CSR*/, 0x34au /*mtinst*/,
                         0x747u /*mseccfg*/, 0x015u /*seed*/, 0xda0u /*scountovf*/, 0x10cu /*sstateen0*/})
        CHECK_FALSE(can_read(*cpu, csr));
}

TEST_CASE("misa is RV64 IMAFDC with S and U and ignores writes", "[riscv][priv]") {
    auto cpu = make_cpu();
    CHECK(rd(*cpu, 0x301) == 0x800000000014112dull);
    CHECK(wr(*cpu, 0x301, 0) == 0);
    CHECK(rd(*cpu, 0x301) == 0x800000000014112dull);
}

TEST_CASE("mstatus WARL fields and the sstatus view", "[riscv][priv]") {
    using namespace mstatus;
    auto cpu = make_cpu();
    CHECK(rd(*cpu, 0x300) == 0xa00000000ull);  // reset: only UXL = SXL = 2
    wr(*cpu, 0x300, ~uint64_t(0) & ~kMpp);
    CHECK(rd(*cpu, 0x300) == ((kMWritable & ~kMpp) | kXlen64 | kSd));  // UBE/SBE/MBE, VS, XS stay 0

    SECTION("MPP keeps its value when written with the reserved 2") {
        wr(*cpu, 0x300, 1ull << kMppShift);
        wr(*cpu, 0x300, 2ull << kMppShift);
        CHECK(((rd(*cpu, 0x300) & kMpp) >> kMppShift) == 1);
        wr(*cpu, 0x300, 3ull << kMppShift);
        CHECK(((rd(*cpu, 0x300) & kMpp) >> kMppShift) == 3);
    }
    SECTION("FS reads Dirty whenever on, and SD follows") {
        wr(*cpu, 0x300, 1ull << 13);  // Initial
        CHECK((rd(*cpu, 0x300) & (kFs | kSd)) == (kFsDirty | kSd));
        wr(*cpu, 0x300, 0);
        CHECK((rd(*cpu, 0x300) & (kFs | kSd)) == 0);
    }
    SECTION("sstatus shows and changes only the S-mode fields") {
        wr(*cpu, 0x300, 0);
        cpu->priv.priv = kPrivS;
        wr(*cpu, 0x100, ~uint64_t(0));
        CHECK(rd(*cpu, 0x100) == (kSWritable | (2ull << 32) | kSd));  // UXL = 2
        cpu->priv.priv = kPrivM;
        CHECK((rd(*cpu, 0x300) & (kMie | kMpie | kMpp | kMprv | kTvm | kTw | kTsr)) == 0);
        wr(*cpu, 0x300, kMie | kMpp | kTsr);
        cpu->priv.priv = kPrivS;
        CHECK((rd(*cpu, 0x100) & (kMie | kMpp | kTsr | kSxl)) == 0);
    }
}

TEST_CASE("mstatus writes report what the engine must redo", "[riscv][priv]") {
    using namespace mstatus;
    auto cpu = make_cpu();
    CHECK(wr(*cpu, 0x300, kMie) == kCsrCheckInterrupts);
    CHECK(wr(*cpu, 0x300, kMie) == 0);                       // unchanged
    CHECK(wr(*cpu, 0x300, kMie | kSum) == kCsrModeChanged);  // SUM has an MMU index of its own
    CHECK(wr(*cpu, 0x300, kMie | kSum | kMxr) == (kCsrFlushTlb | kCsrModeChanged));
    CHECK(wr(*cpu, 0x300, kMie | kSum | kMxr | (1ull << kMppShift)) == 0);  // MPP alone: MPRV off
    CHECK(wr(*cpu, 0x300, kMie | kSum | kMxr | (1ull << kMppShift) | kMprv) == (kCsrFlushTlb | kCsrModeChanged));
    CHECK(wr(*cpu, 0x300, kMie | kSum | kMxr | kMprv) == (kCsrFlushTlb | kCsrModeChanged));  // MPP under MPRV
    CHECK(wr(*cpu, 0x300, kMie | kSum | kMxr | kMprv | kFsDirty) == kCsrModeChanged);
    CHECK(wr(*cpu, 0x300, kMie | kSum | kMxr | kMprv | kFsDirty | kTvm) == kCsrModeChanged);
    CHECK(wr(*cpu, 0x300, kSum | kMxr | kMprv | kFsDirty | kTvm) == kCsrCheckInterrupts);
}

TEST_CASE("trap vectors, epc and cause registers", "[riscv][priv]") {
    auto cpu = make_cpu();
    wr(*cpu, 0x305, 0x80001001);  // vectored
    CHECK(rd(*cpu, 0x305) == 0x80001001);
    wr(*cpu, 0x305, 0x80002002);  // reserved mode: ignored
    CHECK(rd(*cpu, 0x305) == 0x80001001);
    wr(*cpu, 0x105, 0x80003000);
    wr(*cpu, 0x105, 0x80004003);
    CHECK(rd(*cpu, 0x105) == 0x80003000);
    wr(*cpu, 0x341, 0x80000007);
    CHECK(rd(*cpu, 0x341) == 0x80000006);  // bit 0 clear (IALIGN 16)
    wr(*cpu, 0x141, ~uint64_t(0));
    CHECK(rd(*cpu, 0x141) == ~uint64_t(1));
    wr(*cpu, 0x342, 0x8000000000000007ull);
    CHECK(rd(*cpu, 0x342) == 0x8000000000000007ull);
}

TEST_CASE("satp accepts Bare, Sv39 and Sv48 only, and TVM traps it in S-mode", "[riscv][priv]") {
    using namespace mstatus;
    auto cpu = make_cpu();
    const uint64_t sv39 = (8ull << 60) | (0xabcdull << 44) | 0x80123;
    CHECK(wr(*cpu, 0x180, sv39) == (kCsrFlushTlb | kCsrModeChanged));
    CHECK(rd(*cpu, 0x180) == sv39);
    CHECK(wr(*cpu, 0x180, sv39) == 0);
    CHECK(wr(*cpu, 0x180, (10ull << 60) | 5) == 0);  // Sv57: the whole write is ignored
    CHECK(wr(*cpu, 0x180, (1ull << 60) | 5) == 0);
    CHECK(rd(*cpu, 0x180) == sv39);
    const uint64_t sv48 = (9ull << 60) | 0x80200;
    CHECK(wr(*cpu, 0x180, sv48) != 0);
    CHECK(rd(*cpu, 0x180) == sv48);

    cpu->priv.priv = kPrivS;
    CHECK(can_read(*cpu, 0x180));
    cpu->priv.mstatus |= kTvm;
    CHECK_FALSE(can_read(*cpu, 0x180));
    CHECK_FALSE(csr_write(*cpu, 0x180, 0).ok);
    cpu->priv.priv = kPrivM;
    CHECK(can_read(*cpu, 0x180));  // TVM binds S-mode only
}

TEST_CASE("delegation registers keep only delegable causes", "[riscv][priv]") {
    auto cpu = make_cpu();
    wr(*cpu, 0x302, ~uint64_t(0));
    CHECK(rd(*cpu, 0x302) == 0xb3ff);  // no ecall from M, no reserved causes
    CHECK(wr(*cpu, 0x303, ~uint64_t(0)) == kCsrCheckInterrupts);
    CHECK(rd(*cpu, 0x303) == 0x222);  // SSI, STI, SEI
}

TEST_CASE("mie and the sie view of delegated interrupts", "[riscv][priv]") {
    auto cpu = make_cpu();
    CHECK(wr(*cpu, 0x304, ~uint64_t(0)) == kCsrCheckInterrupts);
    CHECK(rd(*cpu, 0x304) == 0xaaa);
    CHECK(rd(*cpu, 0x104) == 0);  // nothing delegated: sie is all zero
    wr(*cpu, 0x303, kMipStip);
    CHECK(rd(*cpu, 0x104) == kMipStip);
    CHECK(wr(*cpu, 0x104, 0) == kCsrCheckInterrupts);
    CHECK(rd(*cpu, 0x304) == (0xaaa & ~kMipStip));  // only the delegated bit changed
}

TEST_CASE("mip: software bits, device lines, and SEIP's two sources", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.mip.fetch_or(kMipMtip);  // a device
    CHECK(wr(*cpu, 0x344, ~uint64_t(0)) == kCsrCheckInterrupts);
    CHECK(rd(*cpu, 0x344) == (kMipMtip | kMipSsip | kMipStip | kMipSeip));
    wr(*cpu, 0x344, 0);
    CHECK(rd(*cpu, 0x344) == kMipMtip);  // MTIP belongs to the timer device

    p.mip.fetch_or(kMipSeip);  // the interrupt controller's line
    CHECK(rd(*cpu, 0x344) == (kMipMtip | kMipSeip));
    uint64_t old = 0;
    REQUIRE(csr_access(*cpu, 0x344, CsrOp::kSet, kMipSsip, true, old).ok);
    CHECK(old == (kMipMtip | kMipSeip));
    p.mip.fetch_and(~kMipSeip);
    CHECK(rd(*cpu, 0x344) == (kMipMtip | kMipSsip));  // csrrs did not latch the line into SEIP

    wr(*cpu, 0x344, kMipSeip);  // software SEIP stands alone
    CHECK(rd(*cpu, 0x344) == (kMipMtip | kMipSeip));
    REQUIRE(pending_interrupt(*cpu) == std::nullopt);  // mie is zero
    wr(*cpu, 0x304, kMipSeip);
    wr(*cpu, 0x300, mstatus::kMie);
    CHECK(pending_interrupt(*cpu) == uint64_t(kIrqSExternal));
}

TEST_CASE("sip: S-mode sets SSIP only when delegated", "[riscv][priv]") {
    auto cpu = make_cpu();
    cpu->priv.priv = kPrivS;
    wr(*cpu, 0x144, ~uint64_t(0));
    CHECK(cpu->priv.mip.load() == 0);
    cpu->priv.mideleg = kSInterrupts;
    wr(*cpu, 0x144, ~uint64_t(0));
    CHECK(cpu->priv.mip.load() == kMipSsip);  // STIP and SEIP are read-only in sip
    cpu->priv.mip.fetch_or(kMipStip | kMipMtip);
    CHECK(rd(*cpu, 0x144) == (kMipSsip | kMipStip));  // MTIP is not S-visible
}

TEST_CASE("counters: enables per privilege", "[riscv][priv]") {
    FakePlatform board;
    auto cpu = make_cpu(&board);
    board.now = 1000;
    CHECK(can_read(*cpu, 0xc00));
    CHECK(can_read(*cpu, 0xc1f));
    CHECK_FALSE(csr_write(*cpu, 0xc00, 1).ok);  // user counters are read-only
    for (Priv priv : {kPrivS, kPrivU}) {
        cpu->priv.priv = priv;
        CHECK_FALSE(can_read(*cpu, 0xc00));
        CHECK_FALSE(can_read(*cpu, 0xc01));
        CHECK_FALSE(can_read(*cpu, 0xc02));
    }
    cpu->priv.mcounteren = 0b111;
    cpu->priv.priv = kPrivS;
    CHECK(rd(*cpu, 0xc01) == 1000);
    CHECK(can_read(*cpu, 0xc00));
    CHECK_FALSE(can_read(*cpu, 0xc03));
    cpu->priv.priv = kPrivU;
    CHECK_FALSE(can_read(*cpu, 0xc01));  // U needs scounteren as well
    cpu->priv.scounteren = 0b010;
    CHECK(rd(*cpu, 0xc01) == 1000);
    CHECK_FALSE(can_read(*cpu, 0xc00));
    cpu->priv.priv = kPrivM;
    wr(*cpu, 0x306, ~uint64_t(0));
    CHECK(rd(*cpu, 0x306) == 0xffffffff);
}

TEST_CASE("time needs a board, hpm counters and events read zero", "[riscv][priv]") {
    auto bare = make_cpu();
    CHECK_FALSE(can_read(*bare, 0xc01));
    FakePlatform board;
    auto cpu = make_cpu(&board);
    board.now = 77;
    CHECK(rd(*cpu, 0xc01) == 77);
    for (unsigned csr : {0xb03u, 0xb1fu, 0x323u, 0x33fu}) {
        CHECK(wr(*cpu, csr, 1) == 0);
        CHECK(rd(*cpu, csr) == 0);
    }
    CHECK(rd(*cpu, 0xc03) == 0);
}

TEST_CASE("mcycle and minstret: monotonic, writable, inhibitable", "[riscv][priv]") {
    FakePlatform board;
    board.now = 50;
    auto cpu = make_cpu(&board);  // reset zeroes the counters
    CHECK(rd(*cpu, 0xb00) == 0);
    board.now = 60;
    CHECK(rd(*cpu, 0xb00) == 1000);  // 100 cycles per 10 MHz tick
    CHECK(rd(*cpu, 0xc00) == 1000);
    CHECK(rd(*cpu, 0xb02) == 1000);
    wr(*cpu, 0xb00, 5);
    board.now = 61;
    CHECK(rd(*cpu, 0xb00) == 105);
    wr(*cpu, 0x320, ~uint64_t(0));
    CHECK(rd(*cpu, 0x320) == 0xfffffffd);  // TM cannot be inhibited
    board.now = 70;
    CHECK(rd(*cpu, 0xb00) == 105);  // frozen
    wr(*cpu, 0xb00, 7);
    CHECK(rd(*cpu, 0xb00) == 7);
    wr(*cpu, 0x320, 0);
    board.now = 71;
    CHECK(rd(*cpu, 0xb00) == 107);  // resumes from the held value
    CHECK(rd(*cpu, 0xc01) == 71);   // time never stopped
}

TEST_CASE("Sstc: stimecmp access rules and STIP", "[riscv][priv]") {
    FakePlatform board;
    board.now = 100;
    auto cpu = make_cpu(&board);
    PrivState& p = cpu->priv;
    CHECK(can_read(*cpu, 0x14d));    // M-mode always
    CHECK(wr(*cpu, 0x14d, 0) == 0);  // with STCE off stimecmp is inert: no STIP
    CHECK((p.mip.load() & kMipStip) == 0);
    wr(*cpu, 0x14d, ~uint64_t(0));
    p.priv = kPrivS;
    p.mcounteren = 2;
    CHECK_FALSE(can_read(*cpu, 0x14d));  // STCE off
    p.priv = kPrivM;
    CHECK(wr(*cpu, 0x30a, ~uint64_t(0)) == kCsrCheckInterrupts);
    CHECK(rd(*cpu, 0x30a) == (kMenvcfgStce | kEnvcfgFiom));
    CHECK((p.mip.load() & kMipStip) == 0);  // stimecmp is still ~0
    p.priv = kPrivS;
    CHECK(can_read(*cpu, 0x14d));
    p.mcounteren = 0;
    CHECK_FALSE(can_read(*cpu, 0x14d));  // TM off
    p.mcounteren = 2;

    CHECK(wr(*cpu, 0x14d, 150) == kCsrCheckInterrupts);
    CHECK((p.mip.load() & kMipStip) == 0);
    CHECK(board.armed == 150);
    board.now = 150;
    sstc_timer_fired(p);  // the board's timer callback
    CHECK((p.mip.load() & kMipStip) != 0);
    wr(*cpu, 0x14d, 400);
    CHECK((p.mip.load() & kMipStip) == 0);
    wr(*cpu, 0x14d, 10);  // already due
    CHECK((p.mip.load() & kMipStip) != 0);

    p.priv = kPrivM;
    wr(*cpu, 0x344, 0);  // STIP is read-only while Sstc drives it
    CHECK((rd(*cpu, 0x344) & kMipStip) != 0);
    wr(*cpu, 0x30a, 0);
    CHECK(board.armed == ~uint64_t(0));
    wr(*cpu, 0x344, 0);  // and software's again once STCE is off
    CHECK((rd(*cpu, 0x344) & kMipStip) == 0);
    board.now = 1000;
    sstc_timer_fired(p);
    CHECK((p.mip.load() & kMipStip) == 0);
}

TEST_CASE("senvcfg keeps FIOM only", "[riscv][priv]") {
    auto cpu = make_cpu();
    wr(*cpu, 0x10a, ~uint64_t(0));
    CHECK(rd(*cpu, 0x10a) == kEnvcfgFiom);
}

TEST_CASE("FP CSRs exist only while FS is on and live in fflags/frm", "[riscv][priv]") {
    auto cpu = make_cpu();
    cpu->priv.priv = kPrivU;
    CHECK_FALSE(can_read(*cpu, 0x003));
    CHECK_FALSE(can_read(*cpu, 0x001));
    cpu->priv.mstatus |= mstatus::kFsDirty;
    CHECK(wr(*cpu, 0x003, 0xff) == 0);
    CHECK(cpu->fflags == 0x1f);
    CHECK(cpu->frm == 7);
    wr(*cpu, 0x002, 0x1a);
    CHECK(cpu->frm == 2);
    CHECK(rd(*cpu, 0x003) == 0x5f);
    uint64_t old = 0;
    REQUIRE(csr_access(*cpu, 0x001, CsrOp::kClear, 0x3, true, old).ok);
    CHECK(old == 0x1f);
    CHECK(cpu->fflags == 0x1c);
}

TEST_CASE("csrrw, csrrs and csrrc return the old value and combine", "[riscv][priv]") {
    auto cpu = make_cpu();
    uint64_t old = 0;
    REQUIRE(csr_access(*cpu, 0x340, CsrOp::kWrite, 0xf0, true, old).ok);
    CHECK(old == 0);
    REQUIRE(csr_access(*cpu, 0x340, CsrOp::kSet, 0x0f, true, old).ok);
    CHECK(old == 0xf0);
    REQUIRE(csr_access(*cpu, 0x340, CsrOp::kClear, 0x3c, true, old).ok);
    CHECK(old == 0xff);
    CHECK(rd(*cpu, 0x340) == 0xc3);
}

TEST_CASE("CSR names", "[riscv][priv]") {
    CHECK(std::string(priv_csr_name(0x300)) == "mstatus");
    CHECK(std::string(priv_csr_name(0x14d)) == "stimecmp");
    CHECK(std::string(priv_csr_name(0x3b5)) == "pmpaddr5");
    CHECK(std::string(priv_csr_name(0xb1f)) == "mhpmcounter31");
    CHECK(priv_csr_name(0x7ff) == nullptr);
}
