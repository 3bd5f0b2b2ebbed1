/* htif_console (-M spike): the runtime's spike port. printf reaches the console through HTIF
 * (device 1, command 1, acknowledged in fromhost), the exit goes through tohost, and the spike
 * board's CLINT (msip, mtime, mtimecmp at the virt addresses) drives machine interrupts. */
#include "runtime.h"

extern volatile uint64_t tohost, fromhost;

static volatile int irq_count;

static bool m_hook(struct rt_frame* f) {
    if (f->cause == (CAUSE_INTERRUPT | IRQ_MSI))
        rt_set_msip(0, 0);
    else if (f->cause == (CAUSE_INTERRUPT | IRQ_MTI))
        rt_set_mtimecmp(0, ~0ul);
    else
        return false;
    irq_count++;
    return true;
}

int main(void) {
    printf("hello through HTIF\n");
    rt_check("tohost is idle after a character", 0, tohost);
    rt_check("fromhost was consumed", 0, fromhost);
    rt_check("tohost is 64-byte aligned", 0, (uintptr_t)&tohost & 63);
    rt_check("misa.MXL is RV64", 2, csr_read(misa) >> 62);

    rt_set_m_hook(m_hook);
    csr_write(mie, MIP_MSIP | MIP_MTIP);
    rt_set_msip(0, 1);
    for (uint64_t end = rt_mtime() + 10 * RT_TIMEBASE_HZ; irq_count < 1 && rt_mtime() < end;) rt_wfi_take();
    rt_check("CLINT software interrupt", 1, irq_count);
    uint64_t t0 = rt_mtime();
    rt_set_mtimecmp(0, t0 + RT_TIMEBASE_HZ / 1000);
    for (uint64_t end = t0 + 10 * RT_TIMEBASE_HZ; irq_count < 2 && rt_mtime() < end;) rt_wfi_take();
    csr_write(mie, 0);
    rt_check("CLINT timer interrupt", 2, irq_count);
    rt_check("mtime advanced", 1, rt_mtime() > t0);
    printf("bye\n");
    return 0;
}
