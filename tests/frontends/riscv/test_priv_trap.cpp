// Traps and returns: delegation, the xPP/xPIE/xIE stacks, vectored handlers, mret/sret legality,
// the interrupt enable and priority matrix, wfi/sfence rules, MPRV, reset and the log text.
#include <catch2/catch.hpp>

#include "tests/frontends/riscv/test_priv_util.h"

using namespace mimic::test::priv;
using namespace mimic::riscv::mstatus;

namespace {
uint64_t mpp(const CpuState& cpu) {
    return (cpu.priv.mstatus & kMpp) >> kMppShift;
}
}  // namespace

TEST_CASE("an undelegated exception from U goes to M and stacks MIE", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.mtvec = 0x80000101;  // vectored: exceptions still go to the base
    p.mstatus = kMie;
    p.priv = kPrivU;
    cpu->header.pc = 0x10074;
    const TrapInfo t = take_trap(*cpu, kIllegalInstruction, 0x12345678, false);
    CHECK(p.priv == kPrivM);
    CHECK(cpu->header.pc == 0x80000100);
    CHECK(p.mepc == 0x10074);
    CHECK(p.mcause == 2);
    CHECK(p.mtval == 0x12345678);
    CHECK(mpp(*cpu) == kPrivU);
    CHECK((p.mstatus & (kMie | kMpie)) == kMpie);
    CHECK(t.from == kPrivU);
    CHECK(t.to == kPrivM);
    CHECK(t.handler == 0x80000100);
    CHECK(p.sepc == 0);  // S registers untouched
}

TEST_CASE("delegated exceptions go to S with SPP and SPIE", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.medeleg = 1ull << kEcallFromU | 1ull << kLoadPageFault;
    p.stvec = 0xffffffff80001000ull;
    p.mstatus = kSie | kMie;

    p.priv = kPrivU;
    cpu->header.pc = 0x2000;
    take_trap(*cpu, kEcallFromU, 0, false);
    CHECK(p.priv == kPrivS);
    CHECK(cpu->header.pc == 0xffffffff80001000ull);
    CHECK(p.sepc == 0x2000);
    CHECK(p.scause == kEcallFromU);
    CHECK((p.mstatus & (kSpp | kSpie | kSie)) == kSpie);
    CHECK((p.mstatus & kMie) != 0);  // M's stack untouched
    CHECK(p.mepc == 0);

    // From S itself: SPP records S. SIE is now 0, so SPIE becomes 0.
    cpu->header.pc = 0xffffffff80002002ull;
    take_trap(*cpu, kLoadPageFault, 0xdead000, false);
    CHECK(p.priv == kPrivS);
    CHECK((p.mstatus & (kSpp | kSpie | kSie)) == kSpp);
    CHECK(p.stval == 0xdead000);
    CHECK(p.sepc == 0xffffffff80002002ull);

    // An undelegated cause from S goes to M with MPP = S.
    take_trap(*cpu, kEcallFromS, 0, false);
    CHECK(p.priv == kPrivM);
    CHECK(mpp(*cpu) == kPrivS);
    CHECK(p.mcause == kEcallFromS);
}

TEST_CASE("traps taken in M never go down to S", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.medeleg = 0xb3ff;
    p.mideleg = kSInterrupts;
    p.mtvec = 0x1000;
    take_trap(*cpu, kBreakpoint, 0x44, false);
    CHECK(p.priv == kPrivM);
    CHECK(mpp(*cpu) == kPrivM);
    CHECK(p.mcause == kBreakpoint);
    CHECK(p.scause == 0);
}

TEST_CASE("interrupts set the cause's top bit and use the vector table", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.mtvec = 0x80000001;
    p.stvec = 0x90000001;
    p.mideleg = kMipStip;
    p.priv = kPrivU;
    cpu->header.pc = 0x4000;
    take_trap(*cpu, kIrqMTimer, 0, true);
    CHECK(p.mcause == (kInterruptBit | 7));
    CHECK(cpu->header.pc == 0x80000000 + 4 * 7);
    CHECK(p.mepc == 0x4000);

    p.priv = kPrivU;
    take_trap(*cpu, kIrqSTimer, 0, true);
    CHECK(p.priv == kPrivS);
    CHECK(p.scause == (kInterruptBit | 5));
    CHECK(cpu->header.pc == 0x90000000 + 4 * 5);
}

TEST_CASE("mret restores privilege and the interrupt stack", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.mepc = 0x80200000;
    p.mstatus = (uint64_t(kPrivS) << kMppShift) | kMpie | kMprv;
    REQUIRE(do_mret(*cpu));
    CHECK(p.priv == kPrivS);
    CHECK(cpu->header.pc == 0x80200000);
    CHECK((p.mstatus & (kMie | kMpie | kMprv)) == (kMie | kMpie));
    CHECK(mpp(*cpu) == kPrivU);

    CHECK_FALSE(do_mret(*cpu));  // illegal in S
    p.priv = kPrivU;
    CHECK_FALSE(do_mret(*cpu));

    // Returning to M keeps MPRV.
    p.priv = kPrivM;
    p.mstatus = (uint64_t(kPrivM) << kMppShift) | kMprv;
    REQUIRE(do_mret(*cpu));
    CHECK(p.priv == kPrivM);
    CHECK((p.mstatus & (kMie | kMpie | kMprv)) == (kMpie | kMprv));
}

TEST_CASE("sret restores privilege, and TSR or U-mode make it illegal", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.sepc = 0x3000;
    p.priv = kPrivS;
    p.mstatus = kSpie | kTsr;
    CHECK_FALSE(do_sret(*cpu));
    CHECK(p.priv == kPrivS);  // nothing changed
    p.mstatus = kSpie | kSpp;
    REQUIRE(do_sret(*cpu));
    CHECK(p.priv == kPrivS);  // SPP was S
    CHECK((p.mstatus & (kSie | kSpie | kSpp)) == (kSie | kSpie));
    CHECK(cpu->header.pc == 0x3000);
    REQUIRE(do_sret(*cpu));
    CHECK(p.priv == kPrivU);
    CHECK_FALSE(do_sret(*cpu));

    // M-mode may sret even with TSR; MPRV clears as the target is below M.
    p.priv = kPrivM;
    p.mstatus = kTsr | kMprv;
    REQUIRE(do_sret(*cpu));
    CHECK(p.priv == kPrivU);
    CHECK((p.mstatus & kMprv) == 0);
}

TEST_CASE("trap and return round trip", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.priv = kPrivU;
    p.mstatus = kMie;  // ignored in U, but stacked
    p.mtvec = 0x100;
    cpu->header.pc = 0x5550;
    take_trap(*cpu, kEcallFromU, 0, false);
    p.mepc += 4;
    REQUIRE(do_mret(*cpu));
    CHECK(p.priv == kPrivU);
    CHECK(cpu->header.pc == 0x5554);
    CHECK((p.mstatus & (kMie | kMpie)) == (kMie | kMpie));
}

TEST_CASE("interrupt enables: M-level, delegated, global enables", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.mie = kAllInterrupts;
    p.mip = kMipMtip;
    CHECK_FALSE(pending_interrupt(*cpu));  // M with MIE clear
    p.mstatus = kMie;
    CHECK(pending_interrupt(*cpu) == uint64_t(kIrqMTimer));
    p.mstatus = 0;
    for (Priv lower : {kPrivS, kPrivU}) {
        p.priv = lower;
        CHECK(pending_interrupt(*cpu) == uint64_t(kIrqMTimer));  // always enabled below M
    }
    p.mie = kAllInterrupts & ~kMipMtip;
    CHECK_FALSE(pending_interrupt(*cpu));  // but never without its mie bit

    p.mie = kAllInterrupts;
    p.mip = kMipStip;
    p.mideleg = kMipStip;
    p.priv = kPrivM;
    p.mstatus = kMie | kSie;
    CHECK_FALSE(pending_interrupt(*cpu));  // delegated: masked in M
    p.priv = kPrivS;
    p.mstatus = 0;
    CHECK_FALSE(pending_interrupt(*cpu));  // S with SIE clear
    p.mstatus = kSie;
    CHECK(pending_interrupt(*cpu) == uint64_t(kIrqSTimer));
    p.priv = kPrivU;
    p.mstatus = 0;
    CHECK(pending_interrupt(*cpu) == uint64_t(kIrqSTimer));

    // Undelegated S-level interrupts go to M: in S they are taken whatever SIE says.
    p.mideleg = 0;
    p.priv = kPrivS;
    CHECK(pending_interrupt(*cpu) == uint64_t(kIrqSTimer));
}

TEST_CASE("interrupt priority: MEI MSI MTI SEI SSI STI, M-destined first", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.priv = kPrivU;
    p.mie = kAllInterrupts;
    p.mip = kAllInterrupts;
    for (uint64_t expected : {11, 3, 7, 9, 1, 5}) {
        REQUIRE(pending_interrupt(*cpu) == expected);
        p.mip.fetch_and(~(1ull << expected));
    }
    CHECK_FALSE(pending_interrupt(*cpu));

    // A delegated SEI loses to an M-destined STI.
    p.mideleg = kMipSeip;
    p.mip = kMipSeip | kMipStip;
    CHECK(pending_interrupt(*cpu) == uint64_t(kIrqSTimer));
}

TEST_CASE("wfi wakes on any enabled pending interrupt, regardless of globals", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.mideleg = kMipStip;
    p.mip = kMipStip;
    CHECK_FALSE(wfi_should_wake(*cpu));
    p.mie = kMipStip;
    CHECK(wfi_should_wake(*cpu));
    CHECK_FALSE(pending_interrupt(*cpu));  // yet not taken in M
}

TEST_CASE("wfi and sfence.vma legality", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.mstatus = kTw | kTvm;
    CHECK(wfi_allowed(*cpu));
    CHECK(sfence_allowed(*cpu));
    p.priv = kPrivS;
    CHECK_FALSE(wfi_allowed(*cpu));
    CHECK_FALSE(sfence_allowed(*cpu));
    p.mstatus = 0;
    CHECK(wfi_allowed(*cpu));
    CHECK(sfence_allowed(*cpu));
    p.priv = kPrivU;
    CHECK_FALSE(wfi_allowed(*cpu));
    CHECK_FALSE(sfence_allowed(*cpu));
}

TEST_CASE("MPRV makes M-mode data accesses use MPP", "[riscv][priv]") {
    auto cpu = make_cpu();
    PrivState& p = cpu->priv;
    p.mstatus = uint64_t(kPrivS) << kMppShift;
    CHECK(data_priv(*cpu) == kPrivM);
    p.mstatus |= kMprv;
    CHECK(data_priv(*cpu) == kPrivS);
    p.mstatus = kMprv;  // MPP = U
    CHECK(data_priv(*cpu) == kPrivU);
    p.priv = kPrivS;  // MPRV only acts in M
    CHECK(data_priv(*cpu) == kPrivS);
}

TEST_CASE("reset state", "[riscv][priv]") {
    FakePlatform board;
    auto cpu = make_cpu(&board, 3);
    PrivState& p = cpu->priv;
    p.priv = kPrivU;
    p.mstatus = kMie | kFsDirty;
    p.pmp.cfg[0] = pmpcfg::kL;
    p.mip = kMipMeip;
    p.satp = 8ull << 60;
    reset_priv(*cpu, 3);
    CHECK(p.priv == kPrivM);
    CHECK(read_mstatus(p) == 0xa00000000ull);
    CHECK(p.mhartid == 3);
    CHECK(p.pmp.cfg[0] == 0);
    CHECK(p.satp == 0);
    CHECK(read_mip(p) == 0);
    CHECK(p.platform == &board);
}

TEST_CASE("trap and register text for -d int and -d cpu matches QEMU's", "[riscv][priv]") {
    auto cpu = make_cpu(nullptr, 0);
    cpu->priv.priv = kPrivS;
    cpu->header.pc = 0x80200abc;
    TrapInfo t = take_trap(*cpu, kEcallFromS, 0, false);
    CHECK(format_trap(t) ==
          "riscv_cpu_do_interrupt: hart:0, async:0, cause:0000000000000009, epc:0x0000000080200abc, "
          "tval:0x0000000000000000, desc=supervisor_ecall");
    t = take_trap(*cpu, kIrqMTimer, 0, true);
    CHECK(format_trap(t).find("async:1, cause:0000000000000007,") != std::string::npos);
    CHECK(format_trap(t).find("desc=m_timer") != std::string::npos);
    CHECK(std::string(trap_name(15, false)) == "store_page_fault");
    CHECK(std::string(trap_name(99, false)) == "(unknown)");

    auto fresh = make_cpu();
    const std::string dump = dump_priv(*fresh);
    CHECK(dump.find(" priv     M\n") == 0);
    CHECK(dump.find(" mstatus  0000000a00000000\n") != std::string::npos);
    CHECK(dump.find(" satp     0000000000000000\n") != std::string::npos);
    CHECK(dump.find(" mtvec    ") != std::string::npos);
}
