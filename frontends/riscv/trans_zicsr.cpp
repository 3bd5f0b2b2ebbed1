// Zicsr and Zifencei.
#include "frontends/riscv/trans_zicsr.h"

namespace mimic::riscv {

using ir::Builder;

namespace {
enum Csr : uint32_t {
    kFflags = 0x001,
    kFrm = 0x002,
    kFcsr = 0x003,
    kCycle = 0xc00,
    kTime = 0xc01,
    kInstret = 0xc02,
};
}  // namespace

const char* csr_name(uint32_t csr) {
    switch (csr) {
        case kFflags: return "fflags";
        case kFrm: return "frm";
        case kFcsr: return "fcsr";
        case kCycle: return "cycle";
        case kTime: return "time";
        case kInstret: return "instret";
        default: return nullptr;
    }
}

const Zicsr::Table& Zicsr::table() {
    static const Table kTable(
        {
#define INST(handler, mnemonic, syntax, bits) MIMIC_RISCV_TABLE_ENTRY(Zicsr, handler, mnemonic, syntax, bits)
#include "frontends/riscv/isa_zicsr.inc"
#undef INST
        },
        kBucketMask32);
    return kTable;
}

// System mode: every CSR but the FP ones goes through the privileged architecture's helper, which
// checks privilege and raises illegal instruction. A write may change the mode code translates
// for, the address translation or the pending interrupts: it ends the block.
bool Zicsr::system_access(uint32_t csr, uint32_t rd, Value src, Op op, bool writes) {
    const uint64_t request = csr | uint64_t(op) << kCsrOpShift | (writes ? kCsrWrites : 0) | (rd != 0 ? kCsrReads : 0) |
                             uint64_t(c.raw) << 32;
    const Value old = c.call(kHelper_csr_access, {Builder::i64(request), src});
    c.set_x(rd, old);
    if (writes) c.exit(ir::ExitReason::kYield, c.next_pc());
    return true;
}

bool Zicsr::access(uint32_t csr, uint32_t rd, Value src, Op op, bool writes) {
    const bool fp_csr = csr == kFflags || csr == kFrm || csr == kFcsr;
    if (c.system() && !fp_csr) return system_access(csr, rd, src, op, writes);
    if (fp_csr && (c.flags & tb_flags::kFpOff)) return false;
    Value old;
    // csrrw with rd x0 does not read the CSR, so no read of fflags is left for the dead store
    // elimination to stop at (fsflags after a quiet comparison).
    const bool reads = rd != 0 || op != Op::kWrite;
    switch (csr) {
        case kFflags:
            if (reads) old = b.get_global(kGlobalFflags);
            break;
        case kFrm:
            if (reads) old = b.get_global(kGlobalFrm);
            break;
        case kFcsr:
            if (reads) old = b.or_(b.shl(b.get_global(kGlobalFrm), Builder::i64(5)), b.get_global(kGlobalFflags));
            break;
        case kCycle:
        case kInstret: old = c.call(kHelper_read_cycle, {}); break;
        case kTime: old = c.call(kHelper_read_time, {}); break;
        default: return false;  // not accessible from U-mode: illegal instruction
    }
    if (writes) {
        if (csr == kCycle || csr == kTime || csr == kInstret) return false;  // read-only
        Value value = src;
        if (op == Op::kSet) value = b.or_(old, src);
        if (op == Op::kClear) value = b.and_(old, b.not_(src));
        switch (csr) {
            case kFflags: b.set_global(kGlobalFflags, b.and_(value, Builder::i64(0x1f))); break;
            case kFrm: b.set_global(kGlobalFrm, b.and_(value, Builder::i64(0x7))); break;
            case kFcsr:
                b.set_global(kGlobalFflags, b.and_(value, Builder::i64(0x1f)));
                b.set_global(kGlobalFrm, b.and_(b.shr_u(value, Builder::i64(5)), Builder::i64(0x7)));
                break;
        }
    }
    c.set_x(rd, old);
    // frm is part of the TB flags (kFrmNotRne): the next instruction comes from a fresh lookup.
    if (writes && (csr == kFrm || csr == kFcsr)) c.exit(ir::ExitReason::kYield, c.next_pc());
    return true;
}

bool Zicsr::FENCE_I() {
    // Stores to pages holding translated code already invalidated those blocks; ending the block
    // makes the next instruction come from a fresh lookup.
    c.exit(ir::ExitReason::kYield, c.next_pc());
    return true;
}

}  // namespace mimic::riscv
