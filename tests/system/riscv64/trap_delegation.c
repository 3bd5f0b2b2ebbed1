/* trap_delegation: medeleg sends exceptions from S and U to the S handler (scause, sepc, stval,
 * sstatus.SPP/SPIE/SIE as the spec says), exceptions raised in M-mode stay in M whatever medeleg
 * says, undelegated ones go to M; medeleg and mideleg keep their delegable bits. */
#include "runtime.h"

static uint64_t s_status; /* sstatus as the S handler found it */

static bool s_hook(struct rt_frame* f) {
    s_status = f->status;
    return false;
}

static long illegal_insn(long unused) {
    return (long)RT_INSN_AT(".word 0xc0001073");
}
static long ecall_insn(long unused) {
    return (long)RT_INSN_AT("ecall");
}
static long ebreak_insn(long unused) {
    return (long)RT_INSN_AT("ebreak");
}

static void check_trap(const char* name, int prv, long (*fn)(long), uint64_t cause, int handled_in) {
    char text[96];
    uintptr_t pc = (uintptr_t)rt_run(prv, fn, 0);
    struct rt_trap t = rt_last_trap;
    uint64_t tval = cause == CAUSE_ILLEGAL ? rt_insn_bits(pc) : 0;
    rt_check_trap(name, cause, pc, tval);
    snprintf(text, sizeof text, "  handled in %c-mode", handled_in == PRV_S ? 'S' : 'M');
    rt_check(text, handled_in, t.handled_in);
    snprintf(text, sizeof text, "  taken from %c-mode", "US?M"[prv]);
    rt_check(text, prv, t.from);
}

int main(void) {
    rt_trap_reset();
    csr_write(medeleg, ~0ul);
    uint64_t delegable = 0xb3ff; /* causes 0-9, 12, 13, 15 */
    rt_check("medeleg keeps the delegable exception bits", delegable, csr_read(medeleg) & delegable);
    csr_write(medeleg, 0);
    rt_check("medeleg clears", 0, csr_read(medeleg));
    csr_write(mideleg, ~0ul);
    rt_check("mideleg keeps SSI/STI/SEI, not MSI/MTI/MEI", MIP_SSIP | MIP_STIP | MIP_SEIP, csr_read(mideleg) & 0xaaa);
    csr_write(mideleg, 0);

    rt_set_s_hook(s_hook);
    csr_write(medeleg, 1ul << CAUSE_ILLEGAL | 1ul << CAUSE_BREAKPOINT | 1ul << CAUSE_ECALL_U);
    csr_set(sstatus, MSTATUS_SIE);
    check_trap("illegal from U, delegated", PRV_U, illegal_insn, CAUSE_ILLEGAL, PRV_S);
    rt_check("  sstatus: SPP=U SPIE=1 SIE=0", MSTATUS_SPIE, s_status & (MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE));
    check_trap("ecall from U, delegated", PRV_U, ecall_insn, CAUSE_ECALL_U, PRV_S);
    check_trap("ebreak from U, delegated", PRV_U, ebreak_insn, CAUSE_BREAKPOINT, PRV_S);
    csr_clear(sstatus, MSTATUS_SIE);
    check_trap("illegal from S, delegated", PRV_S, illegal_insn, CAUSE_ILLEGAL, PRV_S);
    rt_check("  sstatus: SPP=S SPIE=0 SIE=0", MSTATUS_SPP, s_status & (MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE));
    check_trap("ecall from S, not delegated", PRV_S, ecall_insn, CAUSE_ECALL_S, PRV_M);
    check_trap("illegal from M, delegated bit ignored", PRV_M, illegal_insn, CAUSE_ILLEGAL, PRV_M);
    check_trap("ebreak from M, delegated bit ignored", PRV_M, ebreak_insn, CAUSE_BREAKPOINT, PRV_M);
    csr_write(medeleg, 0);
    check_trap("illegal from U, no longer delegated", PRV_U, illegal_insn, CAUSE_ILLEGAL, PRV_M);
    return 0;
}
