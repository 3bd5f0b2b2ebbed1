/* irq_machine: machine software and timer interrupts from the CLINT. msip and mtimecmp drive
 * mip.MSIP/MTIP (which csrw mip cannot change); a pending interrupt is taken only when enabled in
 * mie and by mstatus.MIE in M-mode, immediately after the enabling CSR write (mepc = the next
 * instruction), and always in S/U-mode whatever MIE says; the timer never fires early. */
#include "runtime.h"

#define SECOND (RT_TIMEBASE_HZ)

static volatile int irq_count;
static volatile uint64_t irq_cause, irq_mtime, irq_from;

static bool m_hook(struct rt_frame* f) {
    if (!(f->cause & CAUSE_INTERRUPT)) return false;
    irq_count++;
    irq_cause = f->cause;
    irq_mtime = rt_mtime();
    irq_from = (f->status & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
    if ((f->cause & 0xff) == IRQ_MSI) rt_set_msip(0, 0);
    if ((f->cause & 0xff) == IRQ_MTI) rt_set_mtimecmp(0, ~0ul);
    return true;
}

/* Sets mstatus.MIE; returns the address of the instruction right after the write. */
static uintptr_t enable_mie(void) {
    uintptr_t pc;
    __asm__ volatile("la %0, 1f\n csrsi mstatus, 8\n 1: nop" : "=&r"(pc)::"memory");
    return pc;
}

static long wait_in_lower_mode(long unused) {
    while (irq_count == 0) {
    }
    return 0;
}

int main(void) {
    rt_set_m_hook(m_hook);
    rt_trap_reset();

    rt_check("mip is clear at start", 0, csr_read(mip) & (MIP_MSIP | MIP_MTIP));
    rt_set_msip(0, 1);
    rt_check("CLINT msip reads back 1", 1, *(volatile uint32_t*)RT_CLINT_BASE);
    rt_check("msip = 1 sets mip.MSIP", MIP_MSIP, csr_read(mip) & MIP_MSIP);
    csr_clear(mip, MIP_MSIP);
    rt_check("csrc mip cannot clear MSIP", MIP_MSIP, csr_read(mip) & MIP_MSIP);
    csr_set(mie, MIP_MSIP);
    rt_check("pending + enabled in mie but MIE=0: not taken", 0, irq_count);
    uintptr_t pc = enable_mie();
    csr_clear(mstatus, MSTATUS_MIE);
    rt_check("MIE=1: taken once", 1, irq_count);
    rt_check("  cause is MSI", CAUSE_INTERRUPT | IRQ_MSI, irq_cause);
    rt_check("  mepc is the instruction after the csrs", pc, rt_last_trap.epc);
    rt_check("  msip = 0 clears mip.MSIP", 0, csr_read(mip) & MIP_MSIP);
    csr_write(mie, 0);

    csr_set(mip, MIP_MTIP);
    rt_check("csrs mip cannot set MTIP", 0, csr_read(mip) & MIP_MTIP);
    rt_set_mtimecmp(0, 0);
    rt_check("mtimecmp in the past sets mip.MTIP", MIP_MTIP, rt_wait_mip(MIP_MTIP, SECOND) & MIP_MTIP);
    rt_set_mtimecmp(0, ~0ul);
    rt_check("mtimecmp far ahead clears mip.MTIP", 0, csr_read(mip) & MIP_MTIP);

    irq_count = 0;
    uint64_t cmp = rt_mtime() + SECOND / 1000;
    rt_set_mtimecmp(0, cmp);
    csr_set(mie, MIP_MTIP);
    for (uint64_t deadline = cmp + 10 * SECOND; irq_count == 0 && rt_mtime() < deadline;) rt_wfi_take();
    rt_check("timer interrupt taken once", 1, irq_count);
    rt_check("  cause is MTI", CAUSE_INTERRUPT | IRQ_MTI, irq_cause);
    rt_check("  not before mtime reached mtimecmp", 1, irq_mtime >= cmp);
    rt_check("  mip.MTIP clear after the handler", 0, csr_read(mip) & MIP_MTIP);

    /* In S and U, machine interrupts are enabled whatever mstatus.MIE says. */
    for (int prv = PRV_U; prv <= PRV_S; prv++) {
        irq_count = 0;
        csr_write(mie, MIP_MSIP);
        rt_set_msip(0, 1);
        rt_check(prv == PRV_U ? "MIE=0 in M: MSI stays pending" : "MIE=0 in M: MSI stays pending again", 0, irq_count);
        rt_run(prv, wait_in_lower_mode, 0);
        rt_check(prv == PRV_U ? "MSI taken in U with MIE=0" : "MSI taken in S with MIE=0", 1, irq_count);
        rt_check("  from the lower mode", (uint64_t)prv, irq_from);
    }
    csr_write(mie, 0);
    return 0;
}
