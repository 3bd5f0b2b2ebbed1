/* irq_vectored: mtvec/stvec in vectored mode (MODE = 1): an interrupt with cause n enters at
 * BASE + 4n (MSI slot 3, MTI slot 7, SSI slot 1 of stvec) while exceptions enter at BASE; the
 * MODE field reads back. The runtime's tables record which slot a trap came through. */
#include "runtime.h"

static volatile int64_t irq_vector;
static volatile uint64_t irq_cause;

static bool hook(struct rt_frame* f) {
    if (!(f->cause & CAUSE_INTERRUPT)) return false;
    irq_vector = f->vector;
    irq_cause = f->cause;
    switch (f->cause & 0xff) {
        case IRQ_MSI: rt_set_msip(0, 0); break;
        case IRQ_MTI: rt_set_mtimecmp(0, ~0ul); break;
        case IRQ_SSI: csr_clear(sip, MIP_SSIP); break;
    }
    return true;
}

static void take_m_irq(const char* name, uint64_t irq) {
    char text[64];
    irq_vector = -2;
    csr_write(mie, 1ul << irq);
    if (irq == IRQ_MSI) rt_set_msip(0, 1);
    if (irq == IRQ_MTI) rt_set_mtimecmp(0, 0);
    rt_wait_mip(1ul << irq, RT_TIMEBASE_HZ);
    csr_set(mstatus, MSTATUS_MIE);
    csr_clear(mstatus, MSTATUS_MIE);
    csr_write(mie, 0);
    rt_check(name, CAUSE_INTERRUPT | irq, irq_cause);
    snprintf(text, sizeof text, "  entered through slot %lu", (unsigned long)irq);
    rt_check(text, irq, irq_vector);
}

static long s_take_ssi(long unused) {
    csr_set(sie, MIP_SSIP);
    csr_set(sip, MIP_SSIP);
    csr_set(sstatus, MSTATUS_SIE);
    csr_clear(sstatus, MSTATUS_SIE);
    return 0;
}

static long ecall_insn(long unused) {
    return (long)RT_INSN_AT("ecall");
}

int main(void) {
    rt_set_m_hook(hook);
    rt_set_s_hook(hook);
    rt_trap_reset();

    csr_write(mtvec, (uintptr_t)rt_m_vector_table | 1);
    rt_check("mtvec keeps MODE = vectored", (uintptr_t)rt_m_vector_table | 1, csr_read(mtvec));
    take_m_irq("MSI with vectored mtvec", IRQ_MSI);
    take_m_irq("MTI with vectored mtvec", IRQ_MTI);
    rt_trap_reset();
    uintptr_t pc = RT_INSN_AT("ecall");
    struct rt_trap t = rt_last_trap;
    rt_check_trap("ecall with vectored mtvec", CAUSE_ECALL_M, pc, 0);
    rt_check("  entered at BASE", (uint64_t)-1, t.vector);

    csr_write(stvec, (uintptr_t)rt_s_vector_table | 1);
    rt_check("stvec keeps MODE = vectored", (uintptr_t)rt_s_vector_table | 1, csr_read(stvec));
    csr_write(mideleg, MIP_SSIP);
    csr_write(medeleg, 1ul << CAUSE_ECALL_U);
    irq_vector = -2;
    rt_run(PRV_S, s_take_ssi, 0);
    rt_check("SSI delegated to vectored stvec", CAUSE_INTERRUPT | IRQ_SSI, irq_cause);
    rt_check("  entered through slot 1", 1, irq_vector);
    rt_trap_reset();
    pc = rt_run(PRV_U, ecall_insn, 0);
    t = rt_last_trap;
    rt_check_trap("delegated ecall from U with vectored stvec", CAUSE_ECALL_U, pc, 0);
    rt_check("  entered at BASE", (uint64_t)-1, t.vector);
    rt_check("  handled in S", PRV_S, t.handled_in);

    csr_write(medeleg, 0);
    csr_write(mideleg, 0);
    csr_write(stvec, (uintptr_t)rt_s_trap_entry);
    csr_write(mtvec, (uintptr_t)rt_m_trap_entry);
    return 0;
}
