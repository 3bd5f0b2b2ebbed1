// M extension. The IR's division is total with exactly RISC-V's results for a zero divisor and for
// signed overflow (see ir/opcodes.inc), so every instruction is a single op.
#include "frontends/riscv/trans_rvm.h"

namespace mimic::riscv {

const RvM::Table& RvM::table() {
    static const Table kTable(
        {
#define INST(handler, mnemonic, syntax, bits) MIMIC_RISCV_TABLE_ENTRY(RvM, handler, mnemonic, syntax, bits)
#include "frontends/riscv/isa_m.inc"
#undef INST
        },
        kBucketMask32);
    return kTable;
}

#define OP64(NAME, method)                                    \
    bool RvM::NAME(uint32_t rs2, uint32_t rs1, uint32_t rd) { \
        c.set_x(rd, b.method(c.x(rs1), c.x(rs2)));            \
        return true;                                          \
    }
#define OP32(NAME, method)                                    \
    bool RvM::NAME(uint32_t rs2, uint32_t rs1, uint32_t rd) { \
        c.set_x_sext32(rd, b.method(c.x32(rs1), c.x32(rs2))); \
        return true;                                          \
    }
OP64(MUL, mul)
OP64(MULH, mul_high_s)
OP64(MULHSU, mul_high_su)
OP64(MULHU, mul_high_u)
OP64(DIV, div_s)
OP64(DIVU, div_u)
OP64(REM, rem_s)
OP64(REMU, rem_u)
// The low 32 bits of the 64-bit product are the 32-bit product.
bool RvM::MULW(uint32_t rs2, uint32_t rs1, uint32_t rd) {
    c.set_x(rd, b.sign_extend(b.mul(c.x(rs1), c.x(rs2)), 32));
    return true;
}
OP32(DIVW, div_s)
OP32(DIVUW, div_u)
OP32(REMW, rem_s)
OP32(REMUW, rem_u)
#undef OP64
#undef OP32

}  // namespace mimic::riscv
