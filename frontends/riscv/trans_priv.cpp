// The privileged instructions. Each one changes the hart's mode or its address translation, so
// each ends the block and returns to the hart's loop, which re-reads the TB flags and checks for
// interrupts that may have become deliverable.
#include "frontends/riscv/trans_priv.h"

namespace mimic::riscv {

using ir::Builder;

const Privileged::Table& Privileged::table() {
    static const Table kTable(
        {
#define INST(handler, mnemonic, syntax, bits) MIMIC_RISCV_TABLE_ENTRY(Privileged, handler, mnemonic, syntax, bits)
#include "frontends/riscv/isa_priv.inc"
#undef INST
        },
        kBucketMask32);
    return kTable;
}

bool Privileged::MRET() {
    b.exit(ir::ExitReason::kYield, c.call(kHelper_mret, {}));
    c.ended = true;
    return true;
}

bool Privileged::SRET() {
    b.exit(ir::ExitReason::kYield, c.call(kHelper_sret, {}));
    c.ended = true;
    return true;
}

bool Privileged::WFI() {
    c.call(kHelper_wfi, {});
    c.exit(ir::ExitReason::kHalt, c.next_pc());
    return true;
}

bool Privileged::SFENCE_VMA(uint32_t rs2, uint32_t rs1) {
    const uint64_t which = (rs1 != 0 ? 1 : 0) | (rs2 != 0 ? 2 : 0);
    c.call(kHelper_sfence_vma, {c.x(rs1), c.x(rs2), Builder::i64(which), Builder::i64(c.raw)});
    c.exit(ir::ExitReason::kYield, c.next_pc());
    return true;
}

}  // namespace mimic::riscv
