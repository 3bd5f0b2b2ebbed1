/* trap_ecall: ecall from U, S and M-mode traps to M with causes 8, 9 and 11, mepc at the ecall,
 * mtval 0 and MPP naming the mode it came from; mret resumes after it in that same mode (a
 * second ecall reports the same cause). ebreak, 32- and 16-bit, raises cause 3 at its own pc. */
#include "runtime.h"

static uintptr_t first_pc;
static struct rt_trap first_trap;

/* Two ecalls: the second proves that mret went back to the caller's mode. */
static long two_ecalls(long unused) {
    (void)unused;
    first_pc = RT_INSN_AT("ecall");
    first_trap = rt_last_trap;
    return (long)RT_INSN_AT("ecall");
}

static void check_ecall(const char* mode, int prv, uint64_t cause) {
    char name[64];
    rt_trap_reset();
    uintptr_t second_pc = (uintptr_t)rt_run(prv, two_ecalls, 0);
    snprintf(name, sizeof name, "ecall from %s: two traps", mode);
    rt_check(name, 2, rt_trap_count);
    struct rt_trap second_trap = rt_last_trap;
    snprintf(name, sizeof name, "ecall from %s: taken from %s-mode", mode, mode);
    rt_check(name, prv, second_trap.from);
    snprintf(name, sizeof name, "ecall from %s: first trap", mode);
    rt_trap_count = 1;
    rt_last_trap = first_trap;
    rt_check_trap(name, cause, first_pc, 0);
    snprintf(name, sizeof name, "ecall from %s: second trap", mode);
    rt_trap_count = 1;
    rt_last_trap = second_trap;
    rt_check_trap(name, cause, second_pc, 0);
}

static bool record_mpp(struct rt_frame* f) {
    f->x[10] = (f->status & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT; /* returned in a0 */
    f->epc += 4;
    return true;
}

static long ecall_a0(long unused) {
    (void)unused;
    register long a0 __asm__("a0") = -1;
    __asm__ volatile("li a7, 0\n ecall" : "+r"(a0)::"a7", "memory");
    return a0;
}

int main(void) {
    check_ecall("U", PRV_U, CAUSE_ECALL_U);
    check_ecall("S", PRV_S, CAUSE_ECALL_S);
    check_ecall("M", PRV_M, CAUSE_ECALL_M);

    rt_set_m_hook(record_mpp);
    rt_check("mstatus.MPP after ecall from U", PRV_U, rt_run(PRV_U, ecall_a0, 0));
    rt_check("mstatus.MPP after ecall from S", PRV_S, rt_run(PRV_S, ecall_a0, 0));
    rt_check("mstatus.MPP after ecall from M", PRV_M, rt_run(PRV_M, ecall_a0, 0));
    rt_set_m_hook(NULL);
    rt_trap_reset();

    uintptr_t pc = RT_INSN_AT("ebreak");
    uint64_t tval = rt_last_trap.tval;
    rt_check_trap("ebreak (32-bit)", CAUSE_BREAKPOINT, pc, tval);
    /* mtval for a breakpoint is either 0 or the pc; QEMU writes 0. */
    rt_check("ebreak mtval is 0 or the pc", 1, tval == 0 || tval == pc);
    pc = RT_INSN16_AT("c.ebreak");
    tval = rt_last_trap.tval;
    rt_check_trap("c.ebreak (16-bit, skipped by 2)", CAUSE_BREAKPOINT, pc, tval);
    rt_check("c.ebreak mtval is 0 or the pc", 1, tval == 0 || tval == pc);
    return 0;
}
