// F extension: the decode table and the moves between x and f registers.
#include "frontends/riscv/trans_rvfd.h"

namespace mimic::riscv {

using ir::Builder;

const RvF::Table& RvF::table() {
    static const Table kTable(
        {
#define INST(handler, mnemonic, syntax, bits) MIMIC_RISCV_TABLE_ENTRY(RvF, handler, mnemonic, syntax, bits)
#include "frontends/riscv/isa_f.inc"
#undef INST
        },
        kBucketMask32);
    return kTable;
}

// Moves copy bits without looking at them: no unboxing check, no NaN canonicalization.
bool RvF::FMV_X_W(uint32_t rs1, uint32_t rd) {
    c.set_x(rd, b.sign_extend(c.f(rs1), 32));
    return true;
}

bool RvF::FMV_W_X(uint32_t rs1, uint32_t rd) {
    c.set_f(rd, b.or_(c.x(rs1), Builder::i64(0xffff'ffff'0000'0000)));
    return true;
}

}  // namespace mimic::riscv
