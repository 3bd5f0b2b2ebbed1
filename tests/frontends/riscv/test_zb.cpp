// Per-instruction tests of Zba, Zbb and Zbs through the whole pipeline. Each operand is chosen so
// that a near relative (the W form, the .uw form, the other rotate, a 64-bit count...) would give a
// different answer. Expected values follow the bit-manipulation spec v1.0.
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
uint64_t unop(uint32_t insn, uint64_t a) {
    return binop(insn, a, 0x5a5a5a5a5a5a5a5aull);
}

// Unary Zbb forms: funct12 in the immediate field of OP-IMM (0x13) or OP-IMM-32 (0x1b).
constexpr uint32_t un(uint32_t funct12, uint32_t f3, uint32_t opcode) {
    return i_type(int32_t(funct12), 1, f3, 3, opcode);
}
// Shift-immediate forms: funct6 above a 6-bit shamt (5-bit for the W forms, with funct7).
constexpr uint32_t shi(uint32_t funct6, uint32_t shamt, uint32_t f3, uint32_t opcode = 0x13) {
    return i_type(int32_t(funct6 << 6 | shamt), 1, f3, 3, opcode);
}
}  // namespace

TEST_CASE("Zba: shift-and-add, and the .uw forms zero-extend rs1", "[riscv][zba]") {
    // rs1's top bit must shift out; .uw must drop rs1's upper word before shifting.
    CHECK(binop(op(0x10, 2, 3, 1, 2), kMin64 | 1, 1) == 3);                                   // sh1add
    CHECK(binop(op(0x10, 4, 3, 1, 2), kMin64 | 1, 1) == 5);                                   // sh2add
    CHECK(binop(op(0x10, 6, 3, 1, 2), kMin64 | 1, 1) == 9);                                   // sh3add
    CHECK(binop(op(0x10, 2, 3, 1, 2), 0xffffffff80000000ull, 1) == 0xffffffff00000001ull);    // sh1add keeps upper
    CHECK(binop(op32(0x04, 0, 3, 1, 2), 0xffffffff80000000ull, 1) == 0x80000001ull);          // add.uw
    CHECK(binop(op32(0x04, 0, 3, 1, 2), 5, 0xffffffff00000000ull) == 0xffffffff00000005ull);  // rs2 is not extended
    CHECK(binop(op32(0x10, 2, 3, 1, 2), 0xffffffff80000000ull, 1) == 0x100000001ull);         // sh1add.uw
    CHECK(binop(op32(0x10, 4, 3, 1, 2), 0xffffffff80000000ull, 1) == 0x200000001ull);         // sh2add.uw
    CHECK(binop(op32(0x10, 6, 3, 1, 2), 0xffffffff80000000ull, 1) == 0x400000001ull);         // sh3add.uw
    CHECK(unop(shi(0x02, 4, 1, 0x1b), 0xffffffff80000001ull) == 0x800000010ull);              // slli.uw 4
    CHECK(unop(shi(0x02, 40, 1, 0x1b), 0xffffffff80000001ull) == 0x10000000000ull);           // slli.uw 40
    CHECK(unop(shi(0x02, 0, 1, 0x1b), 0xffffffff80000001ull) == 0x80000001ull);               // slli.uw 0 = zext.w
}

TEST_CASE("Zbb: logic with negation", "[riscv][zbb]") {
    CHECK(binop(op(0x20, 7, 3, 1, 2), 0xff00, 0x0ff0) == 0xf000);                 // andn
    CHECK(binop(op(0x20, 6, 3, 1, 2), 0xff00, 0x0ff0) == 0xffffffffffffff0full);  // orn
    CHECK(binop(op(0x20, 4, 3, 1, 2), 0xff00, 0x0ff0) == 0xffffffffffff0f0full);  // xnor
}

TEST_CASE("Zbb: counts, 64-bit and W forms", "[riscv][zbb]") {
    const uint32_t clz = un(0x600, 1, 0x13), ctz = un(0x601, 1, 0x13), cpop = un(0x602, 1, 0x13);
    const uint32_t clzw = un(0x600, 1, 0x1b), ctzw = un(0x601, 1, 0x1b), cpopw = un(0x602, 1, 0x1b);
    CHECK(unop(clz, 0) == 64);
    CHECK(unop(clz, 1) == 63);
    CHECK(unop(clz, kMin64) == 0);
    CHECK(unop(clz, 0x00000000ffffffffull) == 32);
    CHECK(unop(ctz, 0) == 64);
    CHECK(unop(ctz, 0x100) == 8);
    CHECK(unop(ctz, kMin64) == 63);
    CHECK(unop(cpop, kAll) == 64);
    CHECK(unop(cpop, 0xf000000000000001ull) == 5);
    CHECK(unop(clzw, 0) == 32);
    CHECK(unop(clzw, 0xffffffff00000001ull) == 31);  // upper word ignored
    CHECK(unop(clzw, 0x80000000) == 0);
    CHECK(unop(ctzw, 0) == 32);
    CHECK(unop(ctzw, 0x100000000ull) == 32);  // bit 32 is not in the word
    CHECK(unop(ctzw, 0xffffffff80000000ull) == 31);
    CHECK(unop(cpopw, 0xffffffff0000000full) == 4);
    CHECK(unop(cpopw, 0xffffffff) == 32);
}

TEST_CASE("Zbb: sign and zero extension", "[riscv][zbb]") {
    const uint32_t sext_b = un(0x604, 1, 0x13), sext_h = un(0x605, 1, 0x13);
    const uint32_t zext_h = op32(0x04, 4, 3, 1, 0);
    CHECK(unop(sext_b, 0x80) == 0xffffffffffffff80ull);
    CHECK(unop(sext_b, 0xffffffffffffff7full) == 0x7f);
    CHECK(unop(sext_h, 0x8000) == 0xffffffffffff8000ull);
    CHECK(unop(sext_h, 0x12347fffull) == 0x7fff);
    CHECK(unop(zext_h, 0xffffffffffff8001ull) == 0x8001);
}

TEST_CASE("Zbb: signed and unsigned min/max", "[riscv][zbb]") {
    CHECK(binop(op(0x05, 4, 3, 1, 2), kAll, 1) == kAll);  // min: -1
    CHECK(binop(op(0x05, 5, 3, 1, 2), kAll, 1) == 1);     // minu
    CHECK(binop(op(0x05, 6, 3, 1, 2), kAll, 1) == 1);     // max
    CHECK(binop(op(0x05, 7, 3, 1, 2), kAll, 1) == kAll);  // maxu
    CHECK(binop(op(0x05, 4, 3, 1, 2), kMin64, 0x7fffffffffffffffull) == kMin64);
    CHECK(binop(op(0x05, 7, 3, 1, 2), kMin64, 0x7fffffffffffffffull) == kMin64);
}

TEST_CASE("Zbb: rotates use the low 6 (W: 5) bits of the amount, W forms sign-extend", "[riscv][zbb]") {
    const uint64_t a = kMin64 | 1;
    CHECK(binop(op(0x30, 1, 3, 1, 2), a, 1) == 3);                      // rol
    CHECK(binop(op(0x30, 1, 3, 1, 2), a, 65) == 3);                     // rol by 65 = by 1
    CHECK(binop(op(0x30, 5, 3, 1, 2), a, 1) == 0xc000000000000000ull);  // ror
    CHECK(binop(op(0x30, 5, 3, 1, 2), a, 0) == a);
    CHECK(unop(shi(0x18, 63, 5), a) == 3);                        // rori 63
    CHECK(unop(shi(0x18, 4, 5), 0x12) == 0x2000000000000001ull);  // rori 4
    // rolw: the word 0x40000000 rotated left by 1 is 0x80000000, sign-extended; junk above ignored.
    CHECK(binop(op32(0x30, 1, 3, 1, 2), 0xffffffff40000000ull, 1) == 0xffffffff80000000ull);
    CHECK(binop(op32(0x30, 1, 3, 1, 2), 0x80000001, 33) == 3);                            // rolw by 33 = by 1
    CHECK(binop(op32(0x30, 5, 3, 1, 2), 1, 1) == 0xffffffff80000000ull);                  // rorw
    CHECK(binop(op32(0x30, 5, 3, 1, 2), 0x100000002ull, 1) == 1);                         // rorw: bit 32 not rotated in
    CHECK(unop(i_type(0x600 | 1, 1, 5, 3, 0x1b), 1) == 0xffffffff80000000ull);            // roriw 1
    CHECK(unop(i_type(0x600 | 31, 1, 5, 3, 0x1b), 0x40000000) == 0xffffffff80000000ull);  // roriw 31 = rol 1
}

TEST_CASE("Zbb: orc.b and rev8", "[riscv][zbb]") {
    const uint32_t orc_b = un(0x287, 5, 0x13), rev8 = un(0x6b8, 5, 0x13);
    CHECK(unop(orc_b, 0x0001000080000100ull) == 0x00ff0000ff00ff00ull);
    CHECK(unop(orc_b, 0) == 0);
    CHECK(unop(orc_b, 0x8040201008040201ull) == kAll);
    CHECK(unop(rev8, 0x0102030405060708ull) == 0x0807060504030201ull);
    CHECK(unop(rev8, 0x80) == 0x8000000000000000ull);
}

TEST_CASE("Zbs: register forms use the low 6 bits of the index", "[riscv][zbs]") {
    CHECK(binop(op(0x24, 1, 3, 1, 2), kAll, 127) == 0x7fffffffffffffffull);  // bclr bit 63
    CHECK(binop(op(0x14, 1, 3, 1, 2), 0, 65) == 2);                          // bset bit 1
    CHECK(binop(op(0x34, 1, 3, 1, 2), 5, 0) == 4);                           // binv bit 0
    CHECK(binop(op(0x34, 1, 3, 1, 2), 4, 0) == 5);
    CHECK(binop(op(0x24, 5, 3, 1, 2), kMin64, 127) == 1);  // bext bit 63
    CHECK(binop(op(0x24, 5, 3, 1, 2), kMin64, 62) == 0);
    CHECK(binop(op(0x24, 5, 3, 1, 2), 0x100000000ull, 32) == 1);  // bext bit 32 (not a W op)
}

TEST_CASE("Zbs: immediate forms reach bits 32-63", "[riscv][zbs]") {
    CHECK(unop(shi(0x12, 40, 1), kAll) == ~(uint64_t(1) << 40));     // bclri
    CHECK(unop(shi(0x0a, 63, 1), 0) == kMin64);                      // bseti
    CHECK(unop(shi(0x1a, 32, 1), 0x1ffffffffull) == 0xffffffffull);  // binvi
    CHECK(unop(shi(0x1a, 0, 1), 0) == 1);
    CHECK(unop(shi(0x12, 32, 5), 0x100000000ull) == 1);  // bexti 32
    CHECK(unop(shi(0x12, 31, 5), 0x100000000ull) == 0);  // bexti 31
    CHECK(unop(shi(0x12, 0, 5), 0xfffffffffffffffeull) == 0);
}

TEST_CASE("Zb results to x0 are discarded, rd may equal rs1", "[riscv][zba][zbb]") {
    RiscvMachine m;
    m.cpu.x[1] = 0x0102030405060708ull;
    m.run({un(0x6b8, 5, 0x13) & ~(31u << 7),  // rev8 x0, x1
           i_type(0x6b8, 1, 5, 1, 0x13),      // rev8 x1, x1
           op(0x10, 6, 2, 1, 1)});            // sh3add x2, x1, x1
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.x[0] == 0);
    CHECK(m.cpu.x[1] == 0x0807060504030201ull);
    CHECK(m.cpu.x[2] == 9 * 0x0807060504030201ull);
}
