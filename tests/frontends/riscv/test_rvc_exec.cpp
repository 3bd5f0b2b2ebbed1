// Compressed instructions run end to end (fetch of 16-bit parcels, pc + 2 arithmetic, links and
// branch offsets); the expansion of each form is covered by test_rvc.cpp.
#include <catch2/catch.hpp>

#include "tests/frontends/riscv/encode.h"
#include "tests/frontends/riscv/harness.h"

using namespace mimic;
using namespace mimic::test;
using namespace mimic::test::rv;

namespace {
constexpr uint64_t kCode = RiscvMachine::kCode;
constexpr uint64_t kData = RiscvMachine::kData;

// The test encoders agree with binutils 2.40 (the pairs listed in test_rvc.cpp).
static_assert(c_addi(10, -32) == 0x1501 && c_addi(1, 1) == 0x0085);
static_assert(c_li(1, -7) == 0x50e5 && c_addiw(31, 7) == 0x2f9d);
static_assert(c_lui(10, -32) == 0x7501 && c_lui(3, -31) == 0x7185 && c_lui(31, 0x11) == 0x6fc5);
static_assert(c_addi16sp(-16) == 0x717d && c_addi16sp(496) == 0x617d && c_addi16sp(-512) == 0x7101);
static_assert(c_addi4spn(10, 1020) == 0x1fe8 && c_addi4spn(8, 4) == 0x0040);
static_assert(c_lw(10, 11, 124) == 0x5de8 && c_sw(10, 11, 124) == 0xdde8 && c_lw(8, 15, 4) == 0x43c0);
static_assert(c_ld(10, 11, 64) == 0x61a8 && c_sd(10, 11, 248) == 0xfde8 && c_sd(15, 8, 8) == 0xe41c);
static_assert(c_ldsp(10, 64) == 0x6506 && c_sdsp(10, 64) == 0xe0aa && c_ldsp(10, 32) == 0x7502);
static_assert(c_j(2046) == 0xaffd && c_j(-2048) == 0xb001 && c_j(-2) == 0xbffd && c_j(64) == 0xa081);
static_assert(c_beqz(10, 254) == 0xcd7d && c_bnez(10, -256) == 0xf101 && c_beqz(8, 6) == 0xc019);
static_assert(c_slli(10, 63) == 0x157e && c_slli(1, 5) == 0x0096);
}  // namespace

TEST_CASE("C: register-immediate and register-register forms", "[riscv][rvc]") {
    RiscvMachine m;
    m.cpu.x[10] = 5;
    m.cpu.x[14] = 0x7fffffff;
    m.cpu.x[15] = 1;
    m.run({c_addi(10, -7), c_li(11, -1), c_lui(12, -32), c_lui(13, 1), c_addiw(14, 1), c_slli(15, 63), c_mv(16, 10),
           c_add(16, 13), c_addi(0, 0) /* c.nop */});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.header.pc == kCode + 18);
    CHECK(m.cpu.x[10] == uint64_t(-2));
    CHECK(m.cpu.x[11] == ~uint64_t(0));
    CHECK(m.cpu.x[12] == 0xfffffffffffe0000ull);  // c.lui sign-extends nzimm[17]
    CHECK(m.cpu.x[13] == 0x1000);
    CHECK(m.cpu.x[14] == 0xffffffff80000000ull);  // c.addiw works on the word
    CHECK(m.cpu.x[15] == 0x8000000000000000ull);
    CHECK(m.cpu.x[16] == 0xffe);
}

TEST_CASE("C: c.addi16sp and c.addi4spn scale their immediates", "[riscv][rvc]") {
    RiscvMachine m;
    m.cpu.x[2] = kData + 0x1000;
    m.run({c_addi16sp(-16), c_addi4spn(8, 1020), c_addi16sp(496), c_addi4spn(9, 4)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[8] == kData + 0x1000 - 16 + 1020);
    CHECK(m.cpu.x[2] == kData + 0x1000 - 16 + 496);
    CHECK(m.cpu.x[9] == kData + 0x1000 - 16 + 496 + 4);
}

TEST_CASE("C: loads and stores with scaled offsets", "[riscv][rvc]") {
    RiscvMachine m;
    m.store64(kData + 120, 0x8000000100000000ull);  // word at +124 = 0x80000001
    m.store64(kData + 0x88, 0x1122334455667788ull);
    m.cpu.x[8] = kData;
    m.cpu.x[9] = kData + 0x80;
    m.cpu.x[2] = kData + 0x200;
    m.run({c_lw(10, 8, 124),  // x10 = sext(0x80000001)
           c_sd(10, 8, 248),  // [kData+248] = x10
           c_ld(11, 9, 8),    // x11 = [kData+0x88]
           c_sw(11, 9, 4),    // [kData+0x84] = low word of x11
           c_sdsp(11, 64),    // [sp+64] = x11
           c_ldsp(12, 64),    // x12 = [sp+64]
           c_sw(11, 8, 0)});  // [kData] = 0x55667788
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[10] == 0xffffffff80000001ull);
    CHECK(m.load64(kData + 248) == 0xffffffff80000001ull);
    CHECK(m.cpu.x[11] == 0x1122334455667788ull);
    CHECK(m.load64(kData + 0x80) == 0x5566778800000000ull);
    CHECK(m.load64(kData + 0x240) == 0x1122334455667788ull);
    CHECK(m.cpu.x[12] == 0x1122334455667788ull);
    CHECK(m.load64(kData) == 0x55667788);
}

TEST_CASE("C: c.j skips forward and c.bnez loops backward", "[riscv][rvc]") {
    RiscvMachine m;
    // 0: c.j +4   2: c.li x10,1 (skipped)   4: c.li x11,1   6: ebreak
    m.run({c_j(4), c_li(10, 1), c_li(11, 1)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[10] == 0);
    CHECK(m.cpu.x[11] == 1);
    CHECK(m.cpu.header.pc == kCode + 6);

    RiscvMachine loop;
    loop.cpu.x[10] = 5;
    // 0: c.addi x11,1   2: c.addi x10,-1   4: c.bnez x10,-4   6: ebreak
    loop.run({c_addi(11, 1), c_addi(10, -1), c_bnez(10, -4)});
    REQUIRE(loop.stopped_at_ebreak());
    CHECK(loop.cpu.x[10] == 0);
    CHECK(loop.cpu.x[11] == 5);
}

TEST_CASE("C: c.beqz taken and not taken, also over a 32-bit instruction", "[riscv][rvc]") {
    for (uint64_t v : {uint64_t(0), uint64_t(1), uint64_t(1) << 63}) {
        INFO("x8 = " << v);
        RiscvMachine m;
        m.cpu.x[8] = v;
        // 0: c.beqz x8,+4   2: c.li x10,1   4: ebreak
        m.run({c_beqz(8, 4), c_li(10, 1)});
        REQUIRE(m.stopped_at_ebreak());
        CHECK(m.cpu.x[10] == (v == 0 ? 0u : 1u));

        RiscvMachine wide;
        wide.cpu.x[8] = v;
        // 0: c.beqz x8,+6   2: addi x10,x0,1 (4 bytes at a 2-byte boundary)   6: ebreak
        wide.run({c_beqz(8, 6), addi(10, 0, 1)});
        REQUIRE(wide.stopped_at_ebreak());
        CHECK(wide.cpu.x[10] == (v == 0 ? 0u : 1u));
        CHECK(wide.cpu.header.pc == kCode + 6);

        RiscvMachine ne;
        ne.cpu.x[8] = v;
        ne.run({c_bnez(8, 4), c_li(10, 1)});
        REQUIRE(ne.stopped_at_ebreak());
        CHECK(ne.cpu.x[10] == (v != 0 ? 0u : 1u));
    }
}

TEST_CASE("C: c.jalr links pc + 2, c.jr does not link, c.jalr ra uses the old ra", "[riscv][rvc]") {
    RiscvMachine m;
    m.cpu.x[5] = kCode + 8;
    // 0: c.li x6,3   2: c.jalr x5   4: c.li x7,1 (skipped)   6: c.li x7,2 (skipped)   8: ebreak
    m.run({c_li(6, 3), c_jalr(5), c_li(7, 1), c_li(7, 2)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[1] == kCode + 4);
    CHECK(m.cpu.x[6] == 3);
    CHECK(m.cpu.x[7] == 0);
    CHECK(m.cpu.header.pc == kCode + 8);

    RiscvMachine jr;
    jr.cpu.x[1] = 0x1234;
    jr.cpu.x[5] = kCode + 4;
    // 0: c.jr x5   2: c.li x7,1 (skipped)   4: ebreak
    jr.run({c_jr(5), c_li(7, 1)});
    REQUIRE(jr.stopped_at_ebreak());
    CHECK(jr.cpu.x[1] == 0x1234);
    CHECK(jr.cpu.x[7] == 0);

    RiscvMachine self;
    self.cpu.x[1] = kCode + 6;
    // 0: c.jalr x1 -> kCode+6, x1 = kCode+2   2: c.li x7,1   4: c.li x7,2   6: ebreak
    self.run({c_jalr(1), c_li(7, 1), c_li(7, 2)});
    REQUIRE(self.stopped_at_ebreak());
    CHECK(self.cpu.x[1] == kCode + 2);
    CHECK(self.cpu.x[7] == 0);
}

TEST_CASE("C: a call and return through c.jalr and c.jr ra", "[riscv][rvc]") {
    RiscvMachine m;
    m.cpu.x[5] = kCode + 8;
    // 0 c.jalr x5; 2 c.addi x10,1; 4 c.j +8 -> 12; 6 c.nop; 8 c.li x11,7; 10 c.jr x1; 12 ebreak
    m.run({c_jalr(5), c_addi(10, 1), c_j(8), c_addi(0, 0), c_li(11, 7), c_jr(1)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.header.pc == kCode + 12);
    CHECK(m.cpu.x[1] == kCode + 2);
    CHECK(m.cpu.x[10] == 1);
    CHECK(m.cpu.x[11] == 7);
}

TEST_CASE("C: c.ebreak stops at its own pc, the all-zero parcel is illegal", "[riscv][rvc][faults]") {
    RiscvMachine m;
    m.run({c_li(10, 1), 0x9002 /* c.ebreak */, c_li(10, 2)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.header.pc == kCode + 2);
    CHECK(m.cpu.x[10] == 1);

    RiscvMachine z;
    z.run({c_li(10, 1), 0x0000});
    REQUIRE(z.exit.kind == BlockExit::Kind::kException);
    CHECK(z.cpu.header.exception_cause == riscv::kIllegalInstruction);
    CHECK(z.cpu.header.pc == kCode + 2);
    CHECK(z.cpu.x[10] == 1);
}
