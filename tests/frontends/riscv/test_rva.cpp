// Per-instruction tests of the A extension through the whole pipeline: LR/SC reservations, every
// AMO in both widths, and the alignment fault. Expected values follow the unprivileged spec, ch. 8.
#include <catch2/catch.hpp>

#include <vector>

#include "tests/frontends/riscv/encode.h"
#include "tests/frontends/riscv/harness.h"

using namespace mimic;
using namespace mimic::test;
using namespace mimic::test::rv;

namespace {
constexpr uint64_t kData = RiscvMachine::kData;
constexpr uint64_t kCode = RiscvMachine::kCode;

// funct5 of each instruction.
constexpr uint32_t kLr = 0x02, kSc = 0x03, kSwap = 0x01, kAdd = 0x00, kXor = 0x04, kAnd = 0x0c, kOr = 0x08;
constexpr uint32_t kMin = 0x10, kMax = 0x14, kMinU = 0x18, kMaxU = 0x1c;
constexpr uint32_t kW = 2, kD = 3;

constexpr uint32_t lr(uint32_t f3, uint32_t rd, uint32_t addr) {
    return amo(kLr, f3, rd, addr, 0);
}
constexpr uint32_t sc(uint32_t f3, uint32_t rd, uint32_t src, uint32_t addr) {
    return amo(kSc, f3, rd, addr, src);
}

// Places more code at kCode + offset (followed by ebreak) without starting it.
void place(RiscvMachine& m, uint64_t offset, std::initializer_list<uint32_t> insns) {
    std::vector<uint8_t> bytes;
    for (uint32_t w : insns)
        for (int i = 0; i < 4; ++i) bytes.push_back(uint8_t(w >> (8 * i)));
    for (int i = 0; i < 4; ++i) bytes.push_back(uint8_t(RiscvMachine::kEbreak >> (8 * i)));
    m.memory().poke(kCode + offset, bytes.data(), bytes.size());
}

// Continues the machine's own vCPU at kCode + offset after an ebreak stop.
void continue_at(RiscvMachine& m, uint64_t offset) {
    m.cpu.header.exception_pending = 0;
    m.cpu.header.pc = kCode + offset;
    m.resume();
}
}  // namespace

TEST_CASE("LR/SC: a store-conditional after a matching load-reserved succeeds", "[riscv][rva]") {
    RiscvMachine m;
    m.store64(kData, 0x1122334480000001ull);
    m.cpu.x[1] = kData;
    m.cpu.x[2] = 0xdeadbeef'00000007ull;  // only the low word is stored by sc.w
    m.cpu.x[4] = 99;
    m.run({lr(kW, 3, 1), sc(kW, 4, 2, 1)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[3] == 0xffffffff80000001ull);  // lr.w sign-extends
    CHECK(m.cpu.x[4] == 0);                      // success writes zero
    CHECK(m.load64(kData) == 0x1122334400000007ull);

    RiscvMachine d;
    d.store64(kData + 8, 0x8000000000000005ull);
    d.cpu.x[1] = kData + 8;
    d.cpu.x[2] = 42;
    d.cpu.x[4] = 99;
    d.run({lr(kD, 3, 1), sc(kD, 4, 2, 1)});
    REQUIRE(d.stopped_at_ebreak());
    CHECK(d.cpu.x[3] == 0x8000000000000005ull);
    CHECK(d.cpu.x[4] == 0);
    CHECK(d.load64(kData + 8) == 42);
}

TEST_CASE("LR/SC: rd may be the address register", "[riscv][rva]") {
    RiscvMachine m;
    m.store64(kData, 7);
    m.cpu.x[1] = kData;
    m.cpu.x[5] = kData;
    m.cpu.x[2] = 8;
    // lr.d x1,(x1) overwrites its address register; sc.d x5,x2,(x5) uses the same address anyway.
    m.run({lr(kD, 1, 1), sc(kD, 5, 2, 5)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[1] == 7);
    CHECK(m.cpu.x[5] == 0);
    CHECK(m.load64(kData) == 8);
}

TEST_CASE("LR/SC: store-conditional without a reservation fails and stores nothing", "[riscv][rva]") {
    RiscvMachine m;
    m.store64(kData, 0x55);
    m.cpu.x[1] = kData;
    m.cpu.x[2] = 0x66;
    m.run({sc(kW, 4, 2, 1), sc(kD, 5, 2, 1)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[4] != 0);
    CHECK(m.cpu.x[5] != 0);
    CHECK(m.load64(kData) == 0x55);
}

TEST_CASE("LR/SC: every store-conditional ends the reservation, so a second one fails", "[riscv][rva]") {
    RiscvMachine m;
    m.store64(kData, 1);
    m.cpu.x[1] = kData;
    m.cpu.x[2] = 2;
    m.cpu.x[6] = 3;
    m.run({lr(kD, 3, 1), sc(kD, 4, 2, 1), sc(kD, 5, 6, 1)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[4] == 0);
    CHECK(m.cpu.x[5] != 0);
    CHECK(m.load64(kData) == 2);
}

TEST_CASE("LR/SC: store-conditional to another address than the reserved one fails", "[riscv][rva]") {
    RiscvMachine m;
    m.store64(kData, 1);
    m.store64(kData + 8, 1);
    m.cpu.x[1] = kData;
    m.cpu.x[6] = kData + 8;
    m.cpu.x[2] = 2;
    m.run({lr(kD, 3, 1), sc(kD, 4, 2, 6)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[4] != 0);
    CHECK(m.load64(kData) == 1);
    CHECK(m.load64(kData + 8) == 1);
}

TEST_CASE("LR/SC: a store by another hart between LR and SC makes SC fail", "[riscv][rva]") {
    RiscvMachine m;
    m.store64(kData, 10);
    m.cpu.x[1] = kData;
    m.cpu.x[2] = 11;
    m.run({lr(kD, 3, 1)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[3] == 10);

    // Hart 2 changes the reserved doubleword: sd x2, 0(x1) with x2 = 20.
    riscv::CpuState other;
    VcpuEngineState other_state;
    other.x[1] = kData;
    other.x[2] = 20;
    place(m, 0x100, {store(3, 2, 1, 0)});
    m.run_vcpu(other, other_state, kCode + 0x100);
    REQUIRE(other.header.exception_cause == riscv::kBreakpoint);
    REQUIRE(m.load64(kData) == 20);

    // Hart 1 resumes with sc.d x4, x2, (x1): it must fail and leave hart 2's value.
    m.cpu.x[4] = 0;
    place(m, 0x200, {sc(kD, 4, 2, 1)});
    continue_at(m, 0x200);
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[4] != 0);
    CHECK(m.load64(kData) == 20);
}

TEST_CASE("AMO .w: old value sign-extended into rd, 32-bit operation, upper word untouched", "[riscv][rva]") {
    struct Case {
        uint32_t f5;
        uint64_t operand;  // upper half is junk that a .w operation must ignore
        uint32_t stored;
        const char* name;
    };
    constexpr uint32_t kOld = 0x80000005;
    const Case cases[] = {
        {kSwap, 0xabcdef01'00000007ull, 0x00000007, "amoswap.w"},
        {kAdd, 0xabcdef01'7ffffffbull, 0x00000000, "amoadd.w wraps at 32 bits"},
        {kXor, 0x00000000'ffffffffull, 0x7ffffffa, "amoxor.w"},
        {kAnd, 0xffffffff'0000000full, 0x00000005, "amoand.w"},
        {kOr, 0x00000000'00000f00ull, 0x80000f05, "amoor.w"},
        // Operand low word 1, upper bit set: a 64-bit comparison would pick the other value each time.
        {kMin, 0x80000000'00000001ull, kOld, "amomin.w"},
        {kMax, 0x80000000'00000001ull, 0x00000001, "amomax.w"},
        {kMinU, 0x80000000'00000001ull, 0x00000001, "amominu.w"},
        {kMaxU, 0x80000000'00000001ull, kOld, "amomaxu.w"},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        RiscvMachine m;
        m.store64(kData + 16, 0x12345678'00000000ull | kOld);
        m.cpu.x[1] = kData + 16;
        m.cpu.x[2] = c.operand;
        m.run({amo(c.f5, kW, 3, 1, 2)});
        REQUIRE(m.stopped_at_ebreak());
        CHECK(m.cpu.x[3] == 0xffffffff80000005ull);
        CHECK(m.load64(kData + 16) == (0x12345678'00000000ull | c.stored));
        CHECK(m.cpu.x[2] == c.operand);
    }
}

TEST_CASE("AMO .d: every operation on a doubleword", "[riscv][rva]") {
    struct Case {
        uint32_t f5;
        uint64_t operand, stored;
        const char* name;
    };
    constexpr uint64_t kOld = 0x8000000000000005ull;
    const Case cases[] = {
        {kSwap, 7, 7, "amoswap.d"},
        {kAdd, 0x7ffffffffffffffbull, 0, "amoadd.d wraps"},
        {kXor, ~uint64_t(0), 0x7ffffffffffffffaull, "amoxor.d"},
        {kAnd, 0xf, 5, "amoand.d"},
        {kOr, 0xf00, 0x8000000000000f05ull, "amoor.d"},
        {kMin, 1, kOld, "amomin.d"},
        {kMax, 1, 1, "amomax.d"},
        {kMinU, 1, 1, "amominu.d"},
        {kMaxU, 1, kOld, "amomaxu.d"},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        RiscvMachine m;
        m.store64(kData + 24, kOld);
        m.cpu.x[1] = kData + 24;
        m.cpu.x[2] = c.operand;
        m.run({amo(c.f5, kD, 3, 1, 2)});
        REQUIRE(m.stopped_at_ebreak());
        CHECK(m.cpu.x[3] == kOld);
        CHECK(m.load64(kData + 24) == c.stored);
    }
}

TEST_CASE("AMO: aq/rl bits do not change the result, rd = x0 still writes memory, rd may be rs2", "[riscv][rva]") {
    RiscvMachine m;
    m.store64(kData, 5);
    m.cpu.x[1] = kData;
    m.cpu.x[2] = 3;
    // amoadd.d.aqrl x0, x2, (x1); amoadd.d.aq x2, x2, (x1): x2 = old (8), memory 8 + 3.
    m.run({amo(kAdd, kD, 0, 1, 2, true, true), amo(kAdd, kD, 2, 1, 2, true, false)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[0] == 0);
    CHECK(m.cpu.x[2] == 8);
    CHECK(m.load64(kData) == 11);
}

TEST_CASE("AMO and LR on a misaligned address raise a misaligned memory fault at their pc", "[riscv][rva][faults]") {
    struct Case {
        uint32_t insn;
        uint64_t offset;
        const char* name;
    };
    const Case cases[] = {
        {amo(kAdd, kW, 3, 1, 2), 2, "amoadd.w at +2"},
        {amo(kSwap, kD, 3, 1, 2), 4, "amoswap.d at +4"},
        {amo(kMaxU, kD, 3, 1, 2), 1, "amomaxu.d at +1"},
        {lr(kW, 3, 1), 2, "lr.w at +2"},
        {lr(kD, 3, 1), 4, "lr.d at +4"},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        RiscvMachine m;
        m.store64(kData, 0x0102030405060708ull);
        m.store64(kData + 8, 0x1112131415161718ull);
        m.cpu.x[1] = kData + c.offset;
        m.cpu.x[2] = 0xff;
        m.cpu.x[3] = 77;
        m.run({addi(5, 0, 1), c.insn, addi(6, 0, 1)});
        REQUIRE(m.exit.kind == BlockExit::Kind::kException);
        CHECK(m.cpu.header.exception_pending == user::kMemoryFault);
        CHECK((m.cpu.header.exception_cause & user::kFaultMisaligned) != 0);
        CHECK(m.cpu.header.exception_tval == kData + c.offset);
        CHECK(m.cpu.header.pc == kCode + 4);
        CHECK(m.cpu.x[3] == 77);  // rd not written
        CHECK(m.cpu.x[5] == 1);   // earlier instruction retired
        CHECK(m.cpu.x[6] == 0);   // later one did not run
        CHECK(m.load64(kData) == 0x0102030405060708ull);
        CHECK(m.load64(kData + 8) == 0x1112131415161718ull);
    }
}

TEST_CASE("AMO on an unmapped address faults without the misaligned flag", "[riscv][rva][faults]") {
    RiscvMachine m;
    m.cpu.x[1] = 0x5000000;
    m.run({amo(kOr, kD, 3, 1, 2)});
    REQUIRE(m.exit.kind == BlockExit::Kind::kException);
    CHECK(m.cpu.header.exception_pending == user::kMemoryFault);
    CHECK((m.cpu.header.exception_cause & user::kFaultMisaligned) == 0);
    CHECK(m.cpu.header.exception_tval == 0x5000000);
    CHECK(m.cpu.header.pc == kCode);
}
