/* irq_priority: with several interrupts pending and enabled at once, they are taken one by one in
 * the spec's order: MEI > MSI > MTI > SEI > SSI > STI into M; SEI > SSI > STI into S when
 * delegated; and a pending M-level interrupt before an S-level one while the hart is in S. MEI
 * comes from the UART's transmitter-empty interrupt through the PLIC (source 10, context 0).
 * QEMU 7.2 (without AIA) takes the lowest-numbered pending interrupt first (SSI, MSI, STI, MTI,
 * SEI, MEI), against the spec; its transcript is kept in irq_priority.qemu.expected. */
#include "runtime.h"

#define PLIC_BASE 0x0c000000ul
#define UART_IRQ 10
#define UART_IER ((volatile uint8_t*)0x10000001ul)

static volatile uint32_t* plic(uint64_t offset) {
    return (volatile uint32_t*)(PLIC_BASE + offset);
}

static volatile unsigned order[8], norder;
static volatile uint32_t claimed;

/* Each handler removes its interrupt's source, so the next one in line is taken next. */
static void silence(unsigned irq) {
    switch (irq) {
        case IRQ_MEI:
            claimed = *plic(0x200004);
            *UART_IER = 0;
            *plic(0x200004) = claimed;
            break;
        case IRQ_MSI: rt_set_msip(0, 0); break;
        case IRQ_MTI: rt_set_mtimecmp(0, ~0ul); break;
        default: csr_clear(mip, 1ul << irq); break;
    }
}

static bool m_hook(struct rt_frame* f) {
    if (!(f->cause & CAUSE_INTERRUPT)) return false;
    unsigned irq = f->cause & 0xff;
    if (norder < 8) order[norder++] = irq;
    silence(irq);
    return true;
}

static bool s_hook(struct rt_frame* f) {
    if (!(f->cause & CAUSE_INTERRUPT)) return false;
    unsigned irq = f->cause & 0xff;
    if (norder < 8) order[norder++] = 0x100 | irq; /* 0x100: taken in S */
    if (irq == IRQ_SSI)
        csr_clear(sip, MIP_SSIP);
    else
        csr_clear(sie, 1ul << irq); /* S cannot clear STIP/SEIP */
    return true;
}

static void check_order(const char* name, const unsigned* want, unsigned n) {
    char text[96];
    rt_check(name, n, norder);
    for (unsigned i = 0; i < n && i < norder; i++) {
        snprintf(text, sizeof text, "  #%u", i + 1);
        rt_check(text, want[i], order[i]);
    }
    norder = 0;
}

static long s_enable(long unused) {
    csr_set(sstatus, MSTATUS_SIE);
    for (volatile int i = 0; i < 100; i++) {
    }
    csr_clear(sstatus, MSTATUS_SIE);
    return 0;
}

int main(void) {
    rt_set_m_hook(m_hook);
    rt_set_s_hook(s_hook);
    rt_trap_reset();

    *plic(4 * UART_IRQ) = 1;        /* priority */
    *plic(0x2000) = 1u << UART_IRQ; /* enable for context 0 (hart 0, M) */
    *plic(0x200000) = 0;            /* threshold */
    *UART_IER = 0x02;               /* transmitter holding register empty */
    rt_set_msip(0, 1);
    rt_set_mtimecmp(0, 0);
    csr_set(mip, MIP_SEIP | MIP_SSIP | MIP_STIP);
    uint64_t all = MIP_MEIP | MIP_MSIP | MIP_MTIP | MIP_SEIP | MIP_SSIP | MIP_STIP;
    rt_check("all six pending", all, rt_wait_mip(all, RT_TIMEBASE_HZ) & all);
    csr_write(mie, all);
    csr_set(mstatus, MSTATUS_MIE);
    for (volatile int i = 0; i < 100; i++) {
    }
    csr_clear(mstatus, MSTATUS_MIE);
    static const unsigned m_order[] = {IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_SEI, IRQ_SSI, IRQ_STI};
    check_order("taken into M in priority order", m_order, 6);
    rt_check("PLIC claim named the UART", UART_IRQ, claimed);
    rt_check("nothing left pending", 0, csr_read(mip) & all);

    csr_write(mideleg, MIP_SEIP | MIP_SSIP | MIP_STIP);
    csr_set(mip, MIP_STIP | MIP_SSIP | MIP_SEIP);
    rt_run(PRV_S, s_enable, 0);
    csr_clear(mip, MIP_STIP | MIP_SEIP);
    static const unsigned s_order[] = {0x100 | IRQ_SEI, 0x100 | IRQ_SSI, 0x100 | IRQ_STI};
    check_order("delegated, taken into S in priority order", s_order, 3);

    csr_write(mie, MIP_MSIP | MIP_SSIP);
    csr_set(mip, MIP_SSIP);
    rt_set_msip(0, 1);
    rt_run(PRV_S, s_enable, 0);
    static const unsigned mixed_order[] = {IRQ_MSI, 0x100 | IRQ_SSI};
    check_order("in S: M's MSI before S's SSI", mixed_order, 2);
    csr_write(mie, 0);
    csr_write(mideleg, 0);
    return 0;
}
