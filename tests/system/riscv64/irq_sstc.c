/* irq_sstc: the Sstc extension (QEMU 7.2's default CPU has it). menvcfg.STCE enables stimecmp;
 * then mip.STIP follows stimecmp <= time and M can no longer write it; S reaches stimecmp only
 * with STCE = 1 and mcounteren.TM = 1; a delegated timer interrupt from stimecmp is taken in S
 * and cleared by moving stimecmp ahead; wfi in S with SIE = 0 wakes on it without a trap. */
#include "runtime.h"

#define CSR_STIMECMP 0x14d

static volatile int s_count;
static volatile uint64_t s_cause, s_time;

static bool s_hook(struct rt_frame* f) {
    if (!(f->cause & CAUSE_INTERRUPT)) return false;
    s_count++;
    s_cause = f->cause;
    s_time = csr_read(time);
    csr_write(CSR_STIMECMP, ~0ul);
    return true;
}

static long read_stimecmp(long unused) {
    return (long)RT_INSN_AT("csrr t6, 0x14d");
}

/* In S: arm stimecmp 1 ms ahead and wait for the handler. Returns the deadline used. */
static long s_timer(long unused) {
    uint64_t cmp = csr_read(time) + RT_TIMEBASE_HZ / 1000;
    csr_write(CSR_STIMECMP, cmp);
    csr_set(sie, MIP_STIP);
    csr_set(sstatus, MSTATUS_SIE);
    for (uint64_t deadline = cmp + 10 * RT_TIMEBASE_HZ; s_count == 0 && csr_read(time) < deadline;) {
    }
    csr_clear(sstatus, MSTATUS_SIE);
    return (long)cmp;
}

/* In S with SIE = 0: wfi until STIP from stimecmp; returns sip. */
static long s_wfi(long unused) {
    csr_write(CSR_STIMECMP, csr_read(time) + RT_TIMEBASE_HZ / 1000);
    csr_set(sie, MIP_STIP);
    for (uint64_t deadline = csr_read(time) + 10 * RT_TIMEBASE_HZ;
         !(csr_read(sip) & MIP_STIP) && csr_read(time) < deadline;)
        __asm__ volatile("wfi");
    long sip = (long)csr_read(sip);
    csr_write(CSR_STIMECMP, ~0ul);
    return sip;
}

int main(void) {
    rt_set_s_hook(s_hook);
    rt_trap_reset();

    csr_set(menvcfg, MENVCFG_STCE);
    rt_check("menvcfg.STCE is writable (Sstc present)", MENVCFG_STCE, csr_read(menvcfg) & MENVCFG_STCE);
    csr_write(CSR_STIMECMP, ~0ul);
    rt_check("stimecmp reads back", ~0ul, csr_read(CSR_STIMECMP));
    rt_check("stimecmp far ahead: STIP clear", 0, csr_read(mip) & MIP_STIP);
    csr_set(mip, MIP_STIP);
    rt_check("  and M cannot set it", 0, csr_read(mip) & MIP_STIP);
    csr_write(CSR_STIMECMP, 0);
    rt_check("stimecmp in the past: STIP set", MIP_STIP, rt_wait_mip(MIP_STIP, RT_TIMEBASE_HZ) & MIP_STIP);
    csr_clear(mip, MIP_STIP);
    rt_check("  and M cannot clear it", MIP_STIP, csr_read(mip) & MIP_STIP);
    csr_write(CSR_STIMECMP, ~0ul);
    rt_check_no_trap("stimecmp accessible in M");

    csr_write(mcounteren, 0);
    uintptr_t pc = (uintptr_t)rt_run(PRV_S, read_stimecmp, 0);
    rt_check_trap("stimecmp in S with mcounteren.TM=0: illegal", CAUSE_ILLEGAL, pc, rt_insn_bits(pc));
    csr_write(mcounteren, 2);
    rt_run(PRV_S, read_stimecmp, 0);
    rt_check_no_trap("stimecmp in S with TM=1 and STCE=1: accessible");
    csr_clear(menvcfg, MENVCFG_STCE);
    pc = (uintptr_t)rt_run(PRV_S, read_stimecmp, 0);
    rt_check_trap("stimecmp in S with STCE=0: illegal", CAUSE_ILLEGAL, pc, rt_insn_bits(pc));
    csr_set(menvcfg, MENVCFG_STCE);

    csr_write(mideleg, MIP_STIP);
    uint64_t cmp = (uint64_t)rt_run(PRV_S, s_timer, 0);
    rt_check("S timer from stimecmp: taken once in S", 1, s_count);
    rt_check("  cause is STI", CAUSE_INTERRUPT | IRQ_STI, s_cause);
    rt_check("  not before time reached stimecmp", 1, s_time >= cmp);
    rt_check("  STIP clear after the handler moved stimecmp", 0, csr_read(mip) & MIP_STIP);

    s_count = 0;
    rt_check("wfi in S with SIE=0 wakes on STIP", MIP_STIP, rt_run(PRV_S, s_wfi, 0) & MIP_STIP);
    rt_check("  without a trap", 0, s_count);

    csr_write(mideleg, 0);
    csr_write(mcounteren, 0);
    csr_clear(menvcfg, MENVCFG_STCE);
    return 0;
}
