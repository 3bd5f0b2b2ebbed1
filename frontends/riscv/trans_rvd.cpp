// D extension: the decode table and the moves between x and f registers.
#include "frontends/riscv/trans_rvfd.h"

namespace mimic::riscv {

const RvD::Table& RvD::table() {
    static const Table kTable(
        {
#define INST(handler, mnemonic, syntax, bits) MIMIC_RISCV_TABLE_ENTRY(RvD, handler, mnemonic, syntax, bits)
#include "frontends/riscv/isa_d.inc"
#undef INST
        },
        kBucketMask32);
    return kTable;
}

bool RvD::FMV_X_D(uint32_t rs1, uint32_t rd) {
    c.set_x(rd, c.f(rs1));
    return true;
}

bool RvD::FMV_D_X(uint32_t rs1, uint32_t rd) {
    c.set_f(rd, c.x(rs1));
    return true;
}

}  // namespace mimic::riscv
