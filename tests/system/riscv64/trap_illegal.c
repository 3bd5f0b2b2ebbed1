/* trap_illegal: illegal instructions trap with cause 2, mepc at the instruction and mtval holding
 * its bits (32-bit, and 16-bit zero-extended): unimp, a custom-0 opcode, the all-zero halfword, a
 * reserved compressed encoding, an FP instruction with mstatus.FS = Off, an unallocated CSR. The
 * handler skips each by its length and execution continues. */
#include "runtime.h"

static void check_illegal(const char* name, uintptr_t pc) {
    rt_check_trap(name, CAUSE_ILLEGAL, pc, rt_insn_bits(pc));
}

int main(void) {
    rt_trap_reset();
    check_illegal("unimp (csrw cycle, x0)", RT_INSN_AT(".word 0xc0001073"));
    check_illegal("custom-0 opcode", RT_INSN_AT(".word 0x0000000b"));
    check_illegal("all-zero halfword", RT_INSN16_AT(".half 0x0000"));
    check_illegal("c.lwsp with rd = x0 (reserved)", RT_INSN16_AT(".half 0x4002"));
    check_illegal("c.jr with rs1 = x0 (reserved)", RT_INSN16_AT(".half 0x8002"));

    csr_clear(mstatus, MSTATUS_FS);
    check_illegal("fadd.d with mstatus.FS = Off", RT_INSN_AT("fadd.d f0, f1, f2"));
    check_illegal("csrr fcsr with mstatus.FS = Off", RT_INSN_AT("csrr t6, fcsr"));
    csr_set(mstatus, 1ul << 13);
    RT_INSN_AT("fadd.d f0, f1, f2");
    rt_check_no_trap("fadd.d with mstatus.FS = Initial");
    rt_check("executing fadd.d made mstatus.FS Dirty", MSTATUS_FS, csr_read(mstatus) & MSTATUS_FS);
    rt_check("mstatus.SD is set with FS Dirty", 1, csr_read(mstatus) >> 63);

    check_illegal("unallocated CSR 0x0ff", RT_INSN_AT("csrr t6, 0x0ff"));
    check_illegal("unallocated CSR 0x7ff", RT_INSN_AT("csrr t6, 0x7ff"));
    return 0;
}
