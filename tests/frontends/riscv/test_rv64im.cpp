// Per-instruction tests of RV64I, M and Zicsr through the whole pipeline: encoding in, state out.
#include <catch2/catch.hpp>

#include "tests/frontends/riscv/encode.h"
#include "tests/frontends/riscv/harness.h"

using namespace mimic;
using namespace mimic::test;
using namespace mimic::test::rv;

namespace {
constexpr uint64_t kMin64 = 0x8000000000000000ull;
constexpr uint64_t kAll = ~uint64_t(0);

uint64_t binop(uint32_t insn, uint64_t a, uint64_t b) {
    return run_binop(insn, a, b);
}
uint64_t imm_op(uint32_t insn_rd3_rs1, uint64_t a) {
    return binop(insn_rd3_rs1, a, 0);
}
}  // namespace

TEST_CASE("RV64I register-register arithmetic", "[riscv][rv64i]") {
    CHECK(binop(op(0x00, 0, 3, 1, 2), 5, 7) == 12);                // add
    CHECK(binop(op(0x00, 0, 3, 1, 2), kAll, 1) == 0);              // add wraps
    CHECK(binop(op(0x20, 0, 3, 1, 2), 5, 7) == uint64_t(-2));      // sub
    CHECK(binop(op(0x00, 1, 3, 1, 2), 1, 65) == 2);                // sll uses rs2[5:0]
    CHECK(binop(op(0x00, 2, 3, 1, 2), uint64_t(-1), 0) == 1);      // slt
    CHECK(binop(op(0x00, 3, 3, 1, 2), uint64_t(-1), 0) == 0);      // sltu
    CHECK(binop(op(0x00, 4, 3, 1, 2), 0xff00, 0x0ff0) == 0xf0f0);  // xor
    CHECK(binop(op(0x00, 5, 3, 1, 2), kMin64, 63) == 1);           // srl
    CHECK(binop(op(0x20, 5, 3, 1, 2), kMin64, 63) == kAll);        // sra
    CHECK(binop(op(0x00, 6, 3, 1, 2), 0xf0, 0x0f) == 0xff);        // or
    CHECK(binop(op(0x00, 7, 3, 1, 2), 0xf0, 0x3c) == 0x30);        // and
}

TEST_CASE("RV64I immediates and the W forms sign-extend", "[riscv][rv64i]") {
    CHECK(imm_op(addi(3, 1, -1), 0) == kAll);
    CHECK(imm_op(opimm(2, 3, 1, -1), 5) == 0);                                     // slti 5 < -1
    CHECK(imm_op(opimm(3, 3, 1, -1), 5) == 1);                                     // sltiu 5 < 0xfff...f
    CHECK(imm_op(opimm(4, 3, 1, -1), 0x0f) == ~uint64_t(0x0f));                    // xori -1 = not
    CHECK(imm_op(opimm(1, 3, 1, 63), 1) == kMin64);                                // slli 63
    CHECK(imm_op(opimm(5, 3, 1, 0x400 | 4), kMin64) == 0xf800000000000000ull);     // srai 4
    CHECK(imm_op(i_type(1, 1, 0, 3, 0x1b), 0x7fffffff) == 0xffffffff80000000ull);  // addiw overflows to negative
    CHECK(binop(op32(0, 0, 3, 1, 2), 0xffffffff, 1) == 0);                         // addw wraps at 32 bits
    CHECK(binop(op32(0x20, 0, 3, 1, 2), 0, 1) == kAll);                            // subw
    CHECK(binop(op32(0, 1, 3, 1, 2), 1, 31) == 0xffffffff80000000ull);             // sllw
    CHECK(binop(op32(0, 5, 3, 1, 2), 0x80000000, 31) == 1);                        // srlw
    CHECK(binop(op32(0x20, 5, 3, 1, 2), 0x80000000, 31) == kAll);                  // sraw
    CHECK(imm_op(i_type(0x400 | 1, 1, 5, 3, 0x1b), 0x80000000) == 0xffffffffc0000000ull);  // sraiw 1
}

TEST_CASE("LUI and AUIPC", "[riscv][rv64i]") {
    RiscvMachine m;
    m.run({u_type(0x80000, 3, 0x37), u_type(1, 4, 0x17)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[3] == 0xffffffff80000000ull);  // lui sign-extends
    CHECK(m.cpu.x[4] == RiscvMachine::kCode + 4 + 0x1000);
}

TEST_CASE("x0 ignores writes and reads as zero", "[riscv][rv64i]") {
    RiscvMachine m;
    m.run({addi(0, 0, 5), add(3, 0, 0)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[0] == 0);
    CHECK(m.cpu.x[3] == 0);
}

TEST_CASE("loads and stores of every width", "[riscv][rv64i]") {
    RiscvMachine m;
    m.store64(RiscvMachine::kData, 0x8899aabbccddeeffull);
    m.cpu.x[1] = RiscvMachine::kData;
    m.run({load(0, 10, 1, 0), load(4, 11, 1, 0), load(1, 12, 1, 0), load(5, 13, 1, 0), load(2, 14, 1, 4),
           load(6, 15, 1, 4), load(3, 16, 1, 0), store(3, 16, 1, 8), store(0, 10, 1, 16), store(1, 12, 1, 24),
           store(2, 14, 1, 32)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[10] == 0xffffffffffffffffull);  // lb 0xff
    CHECK(m.cpu.x[11] == 0xff);                   // lbu
    CHECK(m.cpu.x[12] == 0xffffffffffffeeffull);  // lh
    CHECK(m.cpu.x[13] == 0xeeff);                 // lhu
    CHECK(m.cpu.x[14] == 0xffffffff8899aabbull);  // lw
    CHECK(m.cpu.x[15] == 0x8899aabb);             // lwu
    CHECK(m.load64(RiscvMachine::kData + 8) == 0x8899aabbccddeeffull);
    CHECK(m.load64(RiscvMachine::kData + 16) == 0xff);
    CHECK(m.load64(RiscvMachine::kData + 24) == 0xeeff);
    CHECK(m.load64(RiscvMachine::kData + 32) == 0x8899aabb);
}

TEST_CASE("branches take the right edge and chain", "[riscv][rv64i]") {
    // x1 counts down from 5 to 0 in a loop: addi x1,x1,-1; addi x2,x2,1; bne x1,x0,-8
    RiscvMachine m;
    m.cpu.x[1] = 5;
    m.run({addi(1, 1, -1), addi(2, 2, 1), b_type(-8, 0, 1, 1)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[1] == 0);
    CHECK(m.cpu.x[2] == 5);
    // Each condition: b<cond> x1,x2,+8 skips "addi x3,x0,1" when taken.
    struct Case {
        uint32_t f3;
        uint64_t a, b;
        bool taken;
    };
    for (const Case& c : {Case{0, 1, 1, true}, Case{1, 1, 1, false}, Case{4, kAll, 0, true}, Case{5, kAll, 0, false},
                          Case{6, kAll, 0, false}, Case{7, kAll, 0, true}}) {
        RiscvMachine b;
        b.cpu.x[1] = c.a;
        b.cpu.x[2] = c.b;
        b.run({b_type(8, 2, 1, c.f3), addi(3, 0, 1)});
        REQUIRE(b.stopped_at_ebreak());
        CHECK(b.cpu.x[3] == (c.taken ? 0u : 1u));
    }
}

TEST_CASE("JAL and JALR link and jump, JALR clears bit 0 and may use rd = rs1", "[riscv][rv64i]") {
    RiscvMachine m;
    // 0: jal x1, +8   4: addi x5,x0,1 (skipped)   8: jalr x1, 13(x1) -> (4+13)&~1 = 16   12: addi x6,x0,1   16: ebreak
    m.run({j_type(8, 1), addi(5, 0, 1), i_type(13, 1, 0, 1, 0x67), addi(6, 0, 1)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.header.pc == RiscvMachine::kCode + 16);
    CHECK(m.cpu.x[1] == RiscvMachine::kCode + 12);
    CHECK(m.cpu.x[5] == 0);
    CHECK(m.cpu.x[6] == 0);
}

TEST_CASE("M extension, including division by zero and overflow", "[riscv][rv64m]") {
    CHECK(binop(op(1, 0, 3, 1, 2), uint64_t(-3), 7) == uint64_t(-21));                   // mul
    CHECK(binop(op(1, 1, 3, 1, 2), kMin64, 2) == kAll);                                  // mulh
    CHECK(binop(op(1, 2, 3, 1, 2), kAll, kAll) == kAll);                                 // mulhsu -1 * (2^64-1)
    CHECK(binop(op(1, 3, 3, 1, 2), kAll, kAll) == kAll - 1);                             // mulhu
    CHECK(binop(op(1, 4, 3, 1, 2), uint64_t(-7), 2) == uint64_t(-3));                    // div truncates
    CHECK(binop(op(1, 4, 3, 1, 2), 7, 0) == kAll);                                       // div by 0
    CHECK(binop(op(1, 4, 3, 1, 2), kMin64, kAll) == kMin64);                             // overflow
    CHECK(binop(op(1, 5, 3, 1, 2), 7, 0) == kAll);                                       // divu by 0
    CHECK(binop(op(1, 6, 3, 1, 2), uint64_t(-7), 2) == uint64_t(-1));                    // rem
    CHECK(binop(op(1, 6, 3, 1, 2), 7, 0) == 7);                                          // rem by 0
    CHECK(binop(op(1, 6, 3, 1, 2), kMin64, kAll) == 0);                                  // rem overflow
    CHECK(binop(op(1, 7, 3, 1, 2), 7, 0) == 7);                                          // remu by 0
    CHECK(binop(op32(1, 0, 3, 1, 2), 0x10000, 0x10000) == 0);                            // mulw keeps 32 bits
    CHECK(binop(op32(1, 4, 3, 1, 2), 0x80000000, 0xffffffff) == 0xffffffff80000000ull);  // divw overflow
    CHECK(binop(op32(1, 5, 3, 1, 2), 0xfffffffe, 0) == kAll);                            // divuw by 0
    CHECK(binop(op32(1, 6, 3, 1, 2), 0x80000000, 0xffffffff) == 0);                      // remw overflow
    CHECK(binop(op32(1, 7, 3, 1, 2), 0x80000005, 0) == 0xffffffff80000005ull);           // remuw by 0 sign-extends
}

TEST_CASE("Zicsr: fcsr is frm and fflags, unknown CSRs are illegal", "[riscv][zicsr]") {
    RiscvMachine m;
    m.cpu.x[1] = 0xff;
    // csrrw x3, fcsr, x1; csrrs x4, frm, x0; csrrci x5, fflags, 1; csrrs x6, fflags, x0
    m.run({csr(1, 3, 0x003, 1), csr(2, 4, 0x002, 0), csr(7, 5, 0x001, 1), csr(2, 6, 0x001, 0)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[3] == 0);
    CHECK(m.cpu.x[4] == 7);
    CHECK(m.cpu.x[5] == 0x1f);
    CHECK(m.cpu.x[6] == 0x1e);
    CHECK(m.cpu.frm == 7);

    RiscvMachine bad;
    bad.run({csr(2, 3, 0x300, 0)});  // mstatus from U-mode
    CHECK(bad.exit.kind == BlockExit::Kind::kException);
    CHECK(bad.cpu.header.exception_cause == riscv::kIllegalInstruction);
    CHECK(bad.cpu.header.exception_tval == csr(2, 3, 0x300, 0));
    CHECK(bad.cpu.header.pc == RiscvMachine::kCode);
}

// The baseline tier updates a register it holds in place (x5 += 2, x5 <<= 3): the register's
// word must follow, for the fault, which leaves with the state so far.
TEST_CASE("registers updated in place are written through, up to a fault", "[riscv]") {
    for (const uint32_t update : {addi(5, 5, 2), opimm(1, 5, 5, 3)}) {  // addi, slli
        RiscvMachine m;
        m.cpu.x[1] = 0x5000000;  // unmapped
        m.cpu.x[5] = 1;
        m.run({add(6, 5, 5), update, load(3, 3, 1, 8)});  // the add puts x5 in a register
        REQUIRE(m.exit.kind == BlockExit::Kind::kException);
        CHECK(m.cpu.header.pc == RiscvMachine::kCode + 8);
        CHECK(m.cpu.x[5] == (update == addi(5, 5, 2) ? 3 : 8));
        CHECK(m.cpu.x[6] == 2);
    }
}

TEST_CASE("a faulting load reports the exact pc and leaves earlier results", "[riscv][faults]") {
    RiscvMachine m;
    m.cpu.x[1] = 0x5000000;  // unmapped
    m.run({addi(2, 0, 7), load(3, 3, 1, 8), addi(4, 0, 9)});
    REQUIRE(m.exit.kind == BlockExit::Kind::kException);
    CHECK(m.cpu.header.exception_pending == user::kMemoryFault);
    CHECK(m.cpu.header.exception_tval == 0x5000008);
    CHECK(m.cpu.header.pc == RiscvMachine::kCode + 4);
    CHECK(m.cpu.x[2] == 7);
    CHECK(m.cpu.x[4] == 0);
}

TEST_CASE("an unknown encoding raises illegal instruction with its bits", "[riscv][faults]") {
    RiscvMachine m;
    m.run({0xffffffff});
    REQUIRE(m.exit.kind == BlockExit::Kind::kException);
    CHECK(m.cpu.header.exception_cause == riscv::kIllegalInstruction);
    CHECK(m.cpu.header.exception_tval == 0xffffffff);
}

TEST_CASE("ecall leaves the block as a syscall and resumes after it", "[riscv][rv64i]") {
    RiscvMachine m;
    m.run({0x00000073, addi(3, 0, 1)});
    REQUIRE(m.exit.kind == BlockExit::Kind::kExit);
    CHECK(m.exit.reason == ir::ExitReason::kSyscall);
    CHECK(m.cpu.header.pc == RiscvMachine::kCode + 4);
    m.resume();
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[3] == 1);
}

TEST_CASE("a store into translated code invalidates it (self-modifying code)", "[riscv][engine][smc]") {
    RiscvMachine m;
    // Writable code: the program patches its own "addi x5,x0,1" into "addi x5,x0,2" then runs it again.
    m.memory().protect(RiscvMachine::kCode, 0x10000, user::kProtRead | user::kProtWrite | user::kProtExec);
    const uint32_t patched = addi(5, 0, 2);
    m.run({addi(5, 0, 1)});
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[5] == 1);
    const uint64_t before = m.engine().stats().invalidated;
    // Now run code elsewhere that stores the new word over kCode and jumps there.
    m.cpu.x[1] = RiscvMachine::kCode;
    m.cpu.x[2] = patched;
    std::vector<uint8_t> prog;
    for (uint32_t w : {store(2, 2, 1, 0), i_type(0, 1, 0, 0, 0x67)})  // sw x2,0(x1); jalr x0,0(x1)
        for (int i = 0; i < 4; ++i) prog.push_back(uint8_t(w >> (8 * i)));
    m.memory().poke(RiscvMachine::kCode + 0x100, prog.data(), prog.size());
    m.cpu.header.pc = RiscvMachine::kCode + 0x100;
    m.resume();
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[5] == 2);
    CHECK(m.engine().stats().invalidated > before);
}
