/* irq_wfi: wfi resumes when an interrupt is pending and enabled in mie, whether or not the
 * global enable (mstatus.MIE) or delegation would let it be taken: with MIE = 0 the hart wakes
 * and continues without a trap; with MIE = 1 the interrupt is taken with mepc = the instruction
 * after the wfi. A timer in the future is needed for the hart to wake at all. */
#include "runtime.h"

static volatile int irq_count;
static volatile bool rearm;

/* wfi with MIE = 1, at a known address. */
extern char wfi_site[];
__asm__(
    ".text\n .option push\n .option norvc\n wfi_with_mie:\n csrsi mstatus, 8\n"
    " .globl wfi_site\n wfi_site: wfi\n csrci mstatus, 8\n ret\n .option pop");
void wfi_with_mie(void);

/* With `rearm`, an interrupt taken before the wfi (the host stalled us past mtimecmp) re-arms the
 * timer, so the wfi still has an interrupt to wake for. */
static bool m_hook(struct rt_frame* f) {
    if (f->cause != (CAUSE_INTERRUPT | IRQ_MTI)) return false;
    irq_count++;
    if (rearm && f->epc != (uintptr_t)wfi_site + 4)
        rt_set_mtimecmp(0, rt_mtime() + RT_TIMEBASE_HZ / 1000);
    else
        rt_set_mtimecmp(0, ~0ul);
    return true;
}

/* Waits with wfi for one of `bits` in mip; gives up after 10 s of mtime. */
static uint64_t wfi_until(uint64_t bits) {
    uint64_t deadline = rt_mtime() + 10 * RT_TIMEBASE_HZ;
    while (!(csr_read(mip) & bits) && irq_count == 0 && rt_mtime() < deadline) __asm__ volatile("wfi");
    return csr_read(mip) & bits;
}

int main(void) {
    rt_set_m_hook(m_hook);
    rt_trap_reset();

    uint64_t cmp = rt_mtime() + RT_TIMEBASE_HZ / 1000;
    rt_set_mtimecmp(0, cmp);
    csr_write(mie, MIP_MTIP);
    rt_check("MIE=0: wfi wakes on the timer", MIP_MTIP, wfi_until(MIP_MTIP));
    rt_check("  at or after mtimecmp", 1, rt_mtime() >= cmp);
    rt_check_no_trap("  without taking it");
    rt_set_mtimecmp(0, ~0ul);

    rt_set_msip(0, 1);
    csr_write(mie, MIP_MSIP);
    __asm__ volatile("wfi");
    rt_check_no_trap("MIE=0: wfi with MSI already pending returns");
    rt_set_msip(0, 0);

    csr_write(mideleg, MIP_STIP);
    csr_write(mie, MIP_STIP);
    csr_set(mip, MIP_STIP);
    __asm__ volatile("wfi");
    rt_check_no_trap("wfi in M wakes for a delegated STI, which M does not take");
    csr_clear(mip, MIP_STIP);
    csr_write(mideleg, 0);

    irq_count = 0;
    rearm = true;
    csr_write(mie, MIP_MTIP);
    rt_set_mtimecmp(0, rt_mtime() + RT_TIMEBASE_HZ / 1000);
    for (uint64_t deadline = rt_mtime() + 10 * RT_TIMEBASE_HZ;
         rt_last_trap.epc != (uintptr_t)wfi_site + 4 && rt_mtime() < deadline;)
        wfi_with_mie();
    rearm = false;
    rt_check("MIE=1: the timer interrupt is taken", 1, irq_count >= 1);
    rt_check("  mepc is the instruction after the wfi", (uintptr_t)wfi_site + 4, rt_last_trap.epc);
    csr_write(mie, 0);
    return 0;
}
