/* irq_supervisor: supervisor interrupts. sip/sie show only delegated bits; SSIP (set by M in mip
 * or by S in sip), STIP and SEIP (set by M in mip) reach the S handler when delegated in mideleg,
 * gated by sstatus.SIE in S but always enabled in U, and never taken in M; undelegated, they go
 * to M even from S with mstatus.MIE = 0. */
#include "runtime.h"

static volatile int m_count, s_count;
static volatile uint64_t s_cause, s_from, m_cause;

/* S can clear SSIP; STIP and SEIP belong to M, so the S handler masks them in sie instead. */
static bool s_hook(struct rt_frame* f) {
    if (!(f->cause & CAUSE_INTERRUPT)) return false;
    s_count++;
    s_cause = f->cause;
    s_from = (f->status & MSTATUS_SPP) ? PRV_S : PRV_U;
    unsigned irq = f->cause & 0xff;
    if (irq == IRQ_SSI)
        csr_clear(sip, MIP_SSIP);
    else
        csr_clear(sie, 1ul << irq);
    return true;
}

static bool m_hook(struct rt_frame* f) {
    if (!(f->cause & CAUSE_INTERRUPT)) return false;
    m_count++;
    m_cause = f->cause;
    csr_clear(mip, 1ul << (f->cause & 0xff));
    return true;
}

static long s_set_ssip(long unused) {
    csr_set(sie, MIP_SSIP);
    csr_set(sstatus, MSTATUS_SIE);
    csr_set(sip, MIP_SSIP);
    csr_clear(sstatus, MSTATUS_SIE);
    return s_count;
}

/* Runs in S with SIE=0: returns the interrupts seen before and after setting SIE. */
static long s_enable_late(long unused) {
    for (volatile int i = 0; i < 100; i++) {
    }
    long before = s_count;
    csr_set(sstatus, MSTATUS_SIE);
    csr_clear(sstatus, MSTATUS_SIE);
    return before << 8 | s_count;
}

static long do_nothing(long unused) {
    for (volatile int i = 0; i < 100; i++) {
    }
    return 0;
}

static void reset_counts(void) {
    m_count = s_count = 0;
    s_cause = m_cause = 0;
}

int main(void) {
    rt_set_m_hook(m_hook);
    rt_set_s_hook(s_hook);
    rt_trap_reset();

    csr_write(mideleg, 0);
    csr_write(sie, ~0ul);
    rt_check("sie shows nothing without delegation", 0, csr_read(sie));
    csr_write(mideleg, MIP_SSIP | MIP_STIP | MIP_SEIP);
    csr_write(sie, ~0ul);
    rt_check("sie shows the delegated bits", MIP_SSIP | MIP_STIP | MIP_SEIP, csr_read(sie));
    csr_write(sie, 0);
    csr_set(mip, MIP_STIP);
    rt_check("sip shows STIP set by M", MIP_STIP, csr_read(sip));
    csr_clear(mip, MIP_STIP);

    reset_counts();
    csr_write(sie, MIP_SSIP);
    rt_check("S sets sip.SSIP with SIE=1: taken in S", 1, rt_run(PRV_S, s_set_ssip, 0));
    rt_check("  cause is SSI", CAUSE_INTERRUPT | IRQ_SSI, s_cause);
    rt_check("  M saw nothing", 0, m_count);

    reset_counts();
    csr_set(mip, MIP_SSIP);
    rt_check("M sets mip.SSIP, S has SIE=0: held, then taken on SIE=1", 0x001, rt_run(PRV_S, s_enable_late, 0));
    reset_counts();
    csr_set(mip, MIP_SSIP);
    csr_set(mstatus, MSTATUS_MIE);
    for (volatile int i = 0; i < 100; i++) {
    }
    csr_clear(mstatus, MSTATUS_MIE);
    rt_check("delegated SSI pending in M with MIE=1: not taken", 0, m_count + s_count);
    rt_run(PRV_U, do_nothing, 0);
    rt_check("  taken as soon as the hart is in U, with SIE=0", 1, s_count);
    rt_check("  from U", PRV_U, s_from);

    reset_counts();
    csr_write(sie, MIP_STIP);
    csr_set(mip, MIP_STIP);
    rt_run(PRV_U, do_nothing, 0);
    csr_clear(mip, MIP_STIP);
    rt_check("M sets mip.STIP: S handler in U", 1, s_count);
    rt_check("  cause is STI", CAUSE_INTERRUPT | IRQ_STI, s_cause);

    reset_counts();
    csr_write(sie, MIP_SEIP);
    csr_set(mip, MIP_SEIP);
    rt_run(PRV_U, do_nothing, 0);
    csr_clear(mip, MIP_SEIP);
    rt_check("M sets mip.SEIP: S handler in U", 1, s_count);
    rt_check("  cause is SEI", CAUSE_INTERRUPT | IRQ_SEI, s_cause);

    reset_counts();
    csr_write(mideleg, 0);
    csr_write(mie, MIP_SSIP | MIP_STIP | MIP_SEIP);
    csr_set(mip, MIP_STIP);
    rt_run(PRV_S, do_nothing, 0);
    rt_check("undelegated STI in S with MIE=0: taken by M", 1, m_count);
    rt_check("  cause is STI", CAUSE_INTERRUPT | IRQ_STI, m_cause);
    rt_check("  S saw nothing", 0, s_count);
    reset_counts();
    csr_set(mip, MIP_SSIP);
    csr_set(mstatus, MSTATUS_MIE);
    for (volatile int i = 0; i < 100; i++) {
    }
    csr_clear(mstatus, MSTATUS_MIE);
    rt_check("undelegated SSI in M with MIE=1: taken by M", 1, m_count);
    rt_check("  cause is SSI", CAUSE_INTERRUPT | IRQ_SSI, m_cause);
    csr_write(mie, 0);
    return 0;
}
