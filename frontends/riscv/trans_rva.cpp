// A extension. The reservation lives in two IR globals (address and the value LR saw) that the
// translated code sets and clears itself, so the helpers touch no guest register and the backend
// need not spill or reload the register file around them.
#include "frontends/riscv/trans_rva.h"

namespace mimic::riscv {

using ir::Builder;

const RvA::Table& RvA::table() {
    static const Table kTable(
        {
#define INST(handler, mnemonic, syntax, bits) MIMIC_RISCV_TABLE_ENTRY(RvA, handler, mnemonic, syntax, bits)
#include "frontends/riscv/isa_a.inc"
#undef INST
        },
        kBucketMask32);
    return kTable;
}

bool RvA::load_reserved(const ir::HelperInfo& helper, uint32_t rs1, uint32_t rd) {
    // The address is read before rd is written: rd may be rs1. A faulting LR leaves the helper's
    // exception pending and never reaches the reservation update.
    const Value addr = c.x(rs1);
    const Value value = c.call(helper, {addr});
    b.set_global(kGlobalReservationAddr, addr);
    b.set_global(kGlobalReservationValue, value);
    c.set_x(rd, value);
    return true;
}

bool RvA::store_conditional(const ir::HelperInfo& helper, uint32_t rs2, uint32_t rs1, uint32_t rd) {
    // Succeeds only through a compare-and-swap from the value LR saw: a store of a different value
    // by another thread in between makes it fail. A store of the same value does not (QEMU has the
    // same gap); compilers emit LR/SC only as compare-and-swap loops, where that cannot be observed.
    const Value failed = c.call(
        helper, {c.x(rs1), c.x(rs2), b.get_global(kGlobalReservationAddr), b.get_global(kGlobalReservationValue)});
    b.set_global(kGlobalReservationAddr, Builder::i64(~uint64_t(0)));
    c.set_x(rd, failed);
    return true;
}

bool RvA::amo(const ir::HelperInfo& helper, uint32_t rs2, uint32_t rs1, uint32_t rd) {
    c.set_x(rd, c.call(helper, {c.x(rs1), c.x(rs2)}));
    return true;
}

}  // namespace mimic::riscv
