// Zba, Zbb, Zbs. The W forms work on the low 32 bits and sign-extend, like RV64I's; counts are at
// most 64 and need no extension beyond zero.
#include "frontends/riscv/trans_zb.h"

namespace mimic::riscv {

using ir::Builder;
using ir::Cond;

const Zba::Table& Zba::table() {
    static const Table kTable(
        {
#define INST(handler, mnemonic, syntax, bits) MIMIC_RISCV_TABLE_ENTRY(Zba, handler, mnemonic, syntax, bits)
#include "frontends/riscv/isa_zba.inc"
#undef INST
        },
        kBucketMask32);
    return kTable;
}

const Zbb::Table& Zbb::table() {
    static const Table kTable(
        {
#define INST(handler, mnemonic, syntax, bits) MIMIC_RISCV_TABLE_ENTRY(Zbb, handler, mnemonic, syntax, bits)
#include "frontends/riscv/isa_zbb.inc"
#undef INST
        },
        kBucketMask32);
    return kTable;
}

const Zbs::Table& Zbs::table() {
    static const Table kTable(
        {
#define INST(handler, mnemonic, syntax, bits) MIMIC_RISCV_TABLE_ENTRY(Zbs, handler, mnemonic, syntax, bits)
#include "frontends/riscv/isa_zbs.inc"
#undef INST
        },
        kBucketMask32);
    return kTable;
}

// ---- Zba ----

bool Zba::shift_add(unsigned shift, bool unsigned_word, uint32_t rs2, uint32_t rs1, uint32_t rd) {
    Value a = c.x(rs1);
    if (unsigned_word) a = b.zero_extend(a, 32);
    c.set_x(rd, b.add(b.shl(a, Builder::i64(shift)), c.x(rs2)));
    return true;
}

bool Zba::SLLI_UW(uint32_t shamt, uint32_t rs1, uint32_t rd) {
    c.set_x(rd, b.shl(b.zero_extend(c.x(rs1), 32), Builder::i64(shamt)));
    return true;
}

// ---- Zbb ----

#define REG_OP(Ext, NAME, expr)                               \
    bool Ext::NAME(uint32_t rs2, uint32_t rs1, uint32_t rd) { \
        const Value a = c.x(rs1);                             \
        const Value d = c.x(rs2);                             \
        c.set_x(rd, expr);                                    \
        return true;                                          \
    }
#define UNARY_OP(Ext, NAME, expr)               \
    bool Ext::NAME(uint32_t rs1, uint32_t rd) { \
        const Value a = c.x(rs1);               \
        c.set_x(rd, expr);                      \
        return true;                            \
    }
#define UNARY_W(NAME, method)                          \
    bool Zbb::NAME(uint32_t rs1, uint32_t rd) {        \
        c.set_x(rd, b.extend_u(b.method(c.x32(rs1)))); \
        return true;                                   \
    }

REG_OP(Zbb, ANDN, b.and_(a, b.not_(d)))
REG_OP(Zbb, ORN, b.or_(a, b.not_(d)))
REG_OP(Zbb, XNOR, b.not_(b.xor_(a, d)))
REG_OP(Zbb, ROL, b.rotl(a, d))
REG_OP(Zbb, ROR, b.rotr(a, d))
UNARY_OP(Zbb, CLZ, b.clz(a))
UNARY_OP(Zbb, CTZ, b.ctz(a))
UNARY_OP(Zbb, CPOP, b.popcount(a))
UNARY_OP(Zbb, SEXT_B, b.sign_extend(a, 8))
UNARY_OP(Zbb, SEXT_H, b.sign_extend(a, 16))
UNARY_OP(Zbb, ZEXT_H, b.zero_extend(a, 16))
UNARY_OP(Zbb, REV8, b.byte_swap(a))
UNARY_W(CLZW, clz)
UNARY_W(CTZW, ctz)
UNARY_W(CPOPW, popcount)
#undef UNARY_W

bool Zbb::min_max(Cond cond, uint32_t rs2, uint32_t rs1, uint32_t rd) {
    const Value a = c.x(rs1);
    const Value d = c.x(rs2);
    c.set_x(rd, b.select(b.cmp(cond, a, d), a, d));
    return true;
}

bool Zbb::RORI(uint32_t shamt, uint32_t rs1, uint32_t rd) {
    c.set_x(rd, b.rotr(c.x(rs1), Builder::i64(shamt)));
    return true;
}

bool Zbb::ROLW(uint32_t rs2, uint32_t rs1, uint32_t rd) {
    c.set_x_sext32(rd, b.rotl(c.x32(rs1), c.x32(rs2)));
    return true;
}

bool Zbb::RORW(uint32_t rs2, uint32_t rs1, uint32_t rd) {
    c.set_x_sext32(rd, b.rotr(c.x32(rs1), c.x32(rs2)));
    return true;
}

bool Zbb::RORIW(uint32_t shamt, uint32_t rs1, uint32_t rd) {
    c.set_x_sext32(rd, b.rotr(c.x32(rs1), Builder::i32(shamt)));
    return true;
}

bool Zbb::ORC_B(uint32_t rs1, uint32_t rd) {
    // SWAR: adding 0x7f to each byte's low seven bits carries into bit 7 exactly when they are not
    // all zero (and never into the next byte); or-ing the byte itself covers bit 7. Then each
    // marker 0x80 becomes 0xff as 0x80 | (0x80 - 0x01), again without crossing bytes.
    const Value x = c.x(rs1);
    const Value low7 = Builder::i64(0x7f7f7f7f7f7f7f7f);
    const Value nonzero = b.and_(b.or_(b.add(b.and_(x, low7), low7), x), Builder::i64(0x8080808080808080));
    c.set_x(rd, b.or_(nonzero, b.sub(nonzero, b.shr_u(nonzero, Builder::i64(7)))));
    return true;
}

// ---- Zbs ----

REG_OP(Zbs, BCLR, b.and_(a, b.not_(bit(d))))
REG_OP(Zbs, BEXT, b.and_(b.shr_u(a, d), Builder::i64(1)))
REG_OP(Zbs, BINV, b.xor_(a, bit(d)))
REG_OP(Zbs, BSET, b.or_(a, bit(d)))
#undef REG_OP
#undef UNARY_OP

#define IMM_OP(NAME, expr)                                      \
    bool Zbs::NAME(uint32_t shamt, uint32_t rs1, uint32_t rd) { \
        const Value a = c.x(rs1);                               \
        const uint64_t mask = uint64_t(1) << shamt;             \
        c.set_x(rd, expr);                                      \
        return true;                                            \
    }
IMM_OP(BCLRI, b.and_(a, Builder::i64(~mask)))
IMM_OP(BINVI, b.xor_(a, Builder::i64(mask)))
IMM_OP(BSETI, b.or_(a, Builder::i64(mask)))
#undef IMM_OP

bool Zbs::BEXTI(uint32_t shamt, uint32_t rs1, uint32_t rd) {
    c.set_x(rd, b.and_(b.shr_u(c.x(rs1), Builder::i64(shamt)), Builder::i64(1)));
    return true;
}

}  // namespace mimic::riscv
