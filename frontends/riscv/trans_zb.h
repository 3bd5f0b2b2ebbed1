// Zba, Zbb and Zbs: the bit-manipulation extensions of RVA22 (address generation, basic bit
// manipulation, single-bit operations), each a few IR operations.
#pragma once

#include "frontends/riscv/extension.h"

namespace mimic::riscv {

class Zba : public ExtensionTranslator {
public:
    using ExtensionTranslator::ExtensionTranslator;
    using Table = decoder::Table<Zba, uint32_t>;
    static const Table& table();

    bool SH1ADD(uint32_t rs2, uint32_t rs1, uint32_t rd) { return shift_add(1, false, rs2, rs1, rd); }
    bool SH2ADD(uint32_t rs2, uint32_t rs1, uint32_t rd) { return shift_add(2, false, rs2, rs1, rd); }
    bool SH3ADD(uint32_t rs2, uint32_t rs1, uint32_t rd) { return shift_add(3, false, rs2, rs1, rd); }
    bool ADD_UW(uint32_t rs2, uint32_t rs1, uint32_t rd) { return shift_add(0, true, rs2, rs1, rd); }
    bool SH1ADD_UW(uint32_t rs2, uint32_t rs1, uint32_t rd) { return shift_add(1, true, rs2, rs1, rd); }
    bool SH2ADD_UW(uint32_t rs2, uint32_t rs1, uint32_t rd) { return shift_add(2, true, rs2, rs1, rd); }
    bool SH3ADD_UW(uint32_t rs2, uint32_t rs1, uint32_t rd) { return shift_add(3, true, rs2, rs1, rd); }
    bool SLLI_UW(uint32_t shamt, uint32_t rs1, uint32_t rd);

private:
    // rd = (rs1, zero-extended from 32 bits if `unsigned_word`) << shift + rs2
    bool shift_add(unsigned shift, bool unsigned_word, uint32_t rs2, uint32_t rs1, uint32_t rd);
};

class Zbb : public ExtensionTranslator {
public:
    using ExtensionTranslator::ExtensionTranslator;
    using Table = decoder::Table<Zbb, uint32_t>;
    static const Table& table();

    bool ANDN(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool ORN(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool XNOR(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool CLZ(uint32_t rs1, uint32_t rd);
    bool CTZ(uint32_t rs1, uint32_t rd);
    bool CPOP(uint32_t rs1, uint32_t rd);
    bool CLZW(uint32_t rs1, uint32_t rd);
    bool CTZW(uint32_t rs1, uint32_t rd);
    bool CPOPW(uint32_t rs1, uint32_t rd);
    bool MIN(uint32_t rs2, uint32_t rs1, uint32_t rd) { return min_max(ir::Cond::kLtS, rs2, rs1, rd); }
    bool MINU(uint32_t rs2, uint32_t rs1, uint32_t rd) { return min_max(ir::Cond::kLtU, rs2, rs1, rd); }
    bool MAX(uint32_t rs2, uint32_t rs1, uint32_t rd) { return min_max(ir::Cond::kGtS, rs2, rs1, rd); }
    bool MAXU(uint32_t rs2, uint32_t rs1, uint32_t rd) { return min_max(ir::Cond::kGtU, rs2, rs1, rd); }
    bool SEXT_B(uint32_t rs1, uint32_t rd);
    bool SEXT_H(uint32_t rs1, uint32_t rd);
    bool ZEXT_H(uint32_t rs1, uint32_t rd);
    bool ROL(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool ROR(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool RORI(uint32_t shamt, uint32_t rs1, uint32_t rd);
    bool ROLW(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool RORW(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool RORIW(uint32_t shamt, uint32_t rs1, uint32_t rd);
    bool ORC_B(uint32_t rs1, uint32_t rd);
    bool REV8(uint32_t rs1, uint32_t rd);

private:
    // rd = rs1 `cond` rs2 ? rs1 : rs2
    bool min_max(ir::Cond cond, uint32_t rs2, uint32_t rs1, uint32_t rd);
};

class Zbs : public ExtensionTranslator {
public:
    using ExtensionTranslator::ExtensionTranslator;
    using Table = decoder::Table<Zbs, uint32_t>;
    static const Table& table();

    bool BCLR(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool BEXT(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool BINV(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool BSET(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool BCLRI(uint32_t shamt, uint32_t rs1, uint32_t rd);
    bool BEXTI(uint32_t shamt, uint32_t rs1, uint32_t rd);
    bool BINVI(uint32_t shamt, uint32_t rs1, uint32_t rd);
    bool BSETI(uint32_t shamt, uint32_t rs1, uint32_t rd);

private:
    // 1 << index: the IR's shifts take the amount modulo 64, as these instructions do.
    Value bit(Value index) { return b.shl(ir::Builder::i64(1), index); }
};

}  // namespace mimic::riscv
