/* trap_xret: the mstatus state machine of traps and xRET. Trap entry sets MPIE = MIE, MIE = 0,
 * MPP = the old privilege; mret sets MIE = MPIE, MPIE = 1, MPP = U and enters the old MPP; sret
 * does the same with SIE/SPIE/SPP. mret from S, sret from U, and sret/satp/sfence.vma/wfi under
 * mstatus.TSR/TVM/TW in S raise illegal instruction. Not checked: priv 1.12's clearing of MPRV
 * by an xRET to S/U, which QEMU 7.2 does not do. */
#include "runtime.h"

#define STATUS_BITS(s) \
    ((s) & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP))

static void check_status(const char* name, uint64_t expected, uint64_t got) {
    rt_check(name, expected, STATUS_BITS(got));
}

/* mret from M into `prv` with the given extra mstatus bits, then straight back to M. Returns
 * mstatus as the trap back found it (MPIE there shows MIE after the mret). */
static uint64_t mret_then_ecall(int prv, uint64_t set) {
    csr_clear(mstatus, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP);
    csr_set(mstatus, (uint64_t)prv << MSTATUS_MPP_SHIFT | set);
    register unsigned long a7 __asm__("a7") = RT_TO_M_MAGIC;
    __asm__ volatile("la t0, 1f\n csrw mepc, t0\n mret\n 1: ecall" : "+r"(a7)::"t0", "memory");
    return rt_last_trap.status;
}

/* sret from M into `prv` (SPP) with the given bits, then back to M as above. */
static uint64_t sret_then_ecall(int prv, uint64_t set) {
    csr_clear(mstatus, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP);
    csr_set(mstatus, (prv == PRV_S ? MSTATUS_SPP : 0) | set);
    register unsigned long a7 __asm__("a7") = RT_TO_M_MAGIC;
    __asm__ volatile("la t0, 1f\n csrw sepc, t0\n sret\n 1: ecall" : "+r"(a7)::"t0", "memory");
    return rt_last_trap.status;
}

/* In S-mode: sret to U with SPIE = 0 and SIE = 1, then an ordinary ecall from U. */
static long sret_from_s_to_u(long unused) {
    csr_clear(sstatus, MSTATUS_SPP | MSTATUS_SPIE);
    csr_set(sstatus, MSTATUS_SIE);
    __asm__ volatile("la t0, 1f\n csrw sepc, t0\n sret\n 1: li a7, 0\n ecall" ::: "t0", "a7", "memory");
    return 0;
}

static long insn_mret(long unused) {
    return (long)RT_INSN_AT("mret");
}
static long insn_sret(long unused) {
    return (long)RT_INSN_AT("sret");
}
static long insn_satp(long unused) {
    return (long)RT_INSN_AT("csrr t6, satp");
}
static long insn_sfence(long unused) {
    return (long)RT_INSN_AT("sfence.vma");
}
static long insn_wfi(long unused) {
    return (long)RT_INSN_AT("wfi");
}

static void check_illegal(const char* name, int prv, long (*fn)(long)) {
    uintptr_t pc = (uintptr_t)rt_run(prv, fn, 0);
    rt_check_trap(name, CAUSE_ILLEGAL, pc, rt_insn_bits(pc));
}

int main(void) {
    rt_trap_reset();
    /* mie = 0: setting mstatus.MIE below enables no interrupt. */
    csr_set(mstatus, MSTATUS_MIE);
    RT_INSN_AT("ecall");
    check_status("ecall with MIE=1: trap saw MPIE=1 MIE=0 MPP=M", MSTATUS_MPIE | MSTATUS_MPP, rt_last_trap.status);
    check_status("after its mret: MIE=1 MPIE=1 MPP=U", MSTATUS_MIE | MSTATUS_MPIE, csr_read(mstatus));
    csr_clear(mstatus, MSTATUS_MIE);
    RT_INSN_AT("ecall");
    check_status("ecall with MIE=0: trap saw MPIE=0 MIE=0 MPP=M", MSTATUS_MPP, rt_last_trap.status);
    check_status("after its mret: MIE=0 MPIE=1 MPP=U", MSTATUS_MPIE, csr_read(mstatus));

    check_status("mret to S with MPIE=1: in S MIE=1", MSTATUS_MPIE | 1ul << MSTATUS_MPP_SHIFT,
                 mret_then_ecall(PRV_S, MSTATUS_MPIE));
    rt_check("  the trap came from S", CAUSE_ECALL_S, rt_last_trap.cause);
    check_status("mret to U with MPIE=0: in U MIE=0", 0, mret_then_ecall(PRV_U, 0));
    rt_check("  the trap came from U", CAUSE_ECALL_U, rt_last_trap.cause);
    check_status("mret to M with MPRV=1 keeps MPRV", MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_MPIE,
                 mret_then_ecall(PRV_M, MSTATUS_MPIE | MSTATUS_MPRV));
    csr_clear(mstatus, MSTATUS_MPRV);

    check_status("sret to S with SPIE=1 SIE=0: SIE=1 SPIE=1 SPP=U",
                 MSTATUS_SIE | MSTATUS_SPIE | 1ul << MSTATUS_MPP_SHIFT, sret_then_ecall(PRV_S, MSTATUS_SPIE));
    rt_check("  the trap came from S", CAUSE_ECALL_S, rt_last_trap.cause);
    check_status("sret to U with SPIE=0 SIE=1: SIE=0 SPIE=1", MSTATUS_SPIE, sret_then_ecall(PRV_U, MSTATUS_SIE));
    rt_check("  the trap came from U", CAUSE_ECALL_U, rt_last_trap.cause);
    rt_trap_reset();

    rt_run(PRV_S, sret_from_s_to_u, 0);
    rt_check("sret in S to U: the ecall came from U", CAUSE_ECALL_U, rt_last_trap.cause);
    check_status("  with SIE=0 SPIE=1 SPP=U", MSTATUS_SPIE, rt_last_trap.status & ~MSTATUS_MPIE);
    rt_trap_reset();

    check_illegal("mret in S", PRV_S, insn_mret);
    check_illegal("mret in U", PRV_U, insn_mret);
    check_illegal("sret in U", PRV_U, insn_sret);
    csr_set(mstatus, MSTATUS_TSR);
    check_illegal("sret in S with TSR=1", PRV_S, insn_sret);
    csr_clear(mstatus, MSTATUS_TSR);
    csr_set(mstatus, MSTATUS_TVM);
    check_illegal("satp in S with TVM=1", PRV_S, insn_satp);
    check_illegal("sfence.vma in S with TVM=1", PRV_S, insn_sfence);
    csr_clear(mstatus, MSTATUS_TVM);
    csr_set(mstatus, MSTATUS_TW);
    check_illegal("wfi in S with TW=1", PRV_S, insn_wfi);
    csr_clear(mstatus, MSTATUS_TW);
    return 0;
}
