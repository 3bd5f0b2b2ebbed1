/* The C half of the runtime: per-hart setup, the M and S trap handlers with their default
 * policy, the checks that print a test's transcript, stdout for picolibc, CLINT access. */
#include "runtime.h"

#include <string.h>

void rt_platform_init(void);
void rt_resume(long result) __attribute__((noreturn));
void rt_forward_resume(long result) __attribute__((noreturn));
int main(void);

_Thread_local unsigned rt_tls_hart = ~0u; /* initialised, so .tdata opens the TLS segment */
_Thread_local uint64_t rt_resume_sp, rt_mscratch_top, rt_sscratch_top;
_Thread_local struct rt_trap rt_last_trap;
_Thread_local int rt_trap_count;

extern char __tdata_start[], __tdata_end[], rt_m_trap_stacks[], rt_s_trap_stacks[];
static char tls_blocks[RT_NHARTS][RT_TLS_BLOCK] __attribute__((aligned(64)));
static uintptr_t boot_dtb;
static rt_hook m_hook, s_hook;
static int failures;

void* rt_setup_tls(unsigned hart) {
    char* block = tls_blocks[hart];
    memset(block, 0, RT_TLS_BLOCK);
    memcpy(block, __tdata_start, (size_t)(__tdata_end - __tdata_start));
    return block;
}

/* Runs once per hart with tp set: its identity, trap-stack tops, and a lowest-priority PMP
 * entry granting S and U access to everything (without one, S/U could touch nothing). */
static void hart_init(unsigned hart) {
    rt_tls_hart = hart;
    rt_mscratch_top = (uint64_t)(rt_m_trap_stacks + ((uint64_t)(hart + 1) << RT_TRAP_STACK_SHIFT));
    rt_sscratch_top = (uint64_t)(rt_s_trap_stacks + ((uint64_t)(hart + 1) << RT_TRAP_STACK_SHIFT));
    csr_write(mideleg, 0);
    csr_write(medeleg, 0);
    csr_clear(mip, MIP_SSIP | MIP_STIP | MIP_SEIP);
    rt_set_mtimecmp(hart, ~0ul); /* mtimecmp resets to 0, which would make MTIP pending */
    csr_write(pmpaddr15, ~0ul >> 10);
    csr_write(pmpcfg2, (unsigned long)(PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56);
}

void rt_main(unsigned hart, uintptr_t dtb) {
    boot_dtb = dtb;
    hart_init(hart);
    rt_platform_init();
    int status = main();
    if (status == 0 && failures != 0) status = 1;
    rt_exit(status);
}

void __attribute__((weak)) secondary_main(unsigned hart) {
    (void)hart;
}

void rt_secondary_entry(unsigned hart) {
    hart_init(hart);
    rt_set_msip(hart, 0);
    secondary_main(hart);
    for (;;) __asm__ volatile("wfi");
}

/* msip before the go flag: a hart that sees the flag then clears exactly this IPI, so no stale
 * IPI is left behind for the test (rt_secondary_entry clears msip after seeing the flag). */
void rt_start_hart(unsigned hart) {
    extern volatile uint64_t rt_hart_go[RT_NHARTS];
    rt_set_msip(hart, 1);
    __asm__ volatile("fence iorw, iorw" ::: "memory");
    rt_hart_go[hart] = 1;
}

unsigned rt_hartid(void) {
    return rt_tls_hart;
}
uintptr_t rt_boot_dtb(void) {
    return boot_dtb;
}

void rt_set_m_hook(rt_hook hook) {
    m_hook = hook;
}
void rt_set_s_hook(rt_hook hook) {
    s_hook = hook;
}
void rt_trap_reset(void) {
    rt_trap_count = 0;
    memset(&rt_last_trap, 0, sizeof rt_last_trap);
    rt_last_trap.cause = ~0ul;
}

static void record(const struct rt_frame* f, int handled_in, int from) {
    rt_last_trap.cause = f->cause;
    rt_last_trap.epc = f->epc;
    rt_last_trap.tval = f->tval;
    rt_last_trap.status = f->status;
    rt_last_trap.vector = f->vector;
    rt_last_trap.handled_in = handled_in;
    rt_last_trap.from = from;
    rt_trap_count++;
}

static unsigned insn_length(uint64_t pc) {
    if (pc < RT_DRAM_BASE || pc >= (uint64_t)__image_end) return 4;
    return (*(const volatile uint16_t*)pc & 3) == 3 ? 4 : 2;
}

static void default_policy(struct rt_frame* f, char where) {
    if (f->cause & CAUSE_INTERRUPT) {
        printf("FAIL unexpected interrupt %lu in %c-mode handler\n", (unsigned long)(f->cause & 0xff), where);
        rt_exit(3);
    }
    switch (f->cause) {
        case CAUSE_FETCH_MISALIGNED:
        case CAUSE_FETCH_ACCESS:
        case CAUSE_FETCH_PAGE: f->epc = f->x[1]; break; /* return to the caller of the bad target */
        default: f->epc += insn_length(f->epc); break;
    }
}

static bool is_ecall(const struct rt_frame* f, uint64_t magic) {
    return (f->cause == CAUSE_ECALL_U || f->cause == CAUSE_ECALL_S || f->cause == CAUSE_ECALL_M) && f->x[17] == magic;
}

void rt_m_trap_c(struct rt_frame* f) {
    if (is_ecall(f, RT_RUN_MAGIC)) rt_resume((long)f->x[10]);
    record(f, PRV_M, (int)((f->status & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT));
    if (is_ecall(f, RT_TO_M_MAGIC)) {
        csr_set(mstatus, MSTATUS_MPP);
        f->epc += 4;
        return;
    }
    if (m_hook && m_hook(f)) return;
    default_policy(f, 'M');
}

void rt_s_trap_c(struct rt_frame* f) {
    if (is_ecall(f, RT_RUN_MAGIC)) rt_forward_resume((long)f->x[10]);
    record(f, PRV_S, (f->status & MSTATUS_SPP) ? PRV_S : PRV_U);
    if (s_hook && s_hook(f)) return;
    default_policy(f, 'S');
}

void rt_check(const char* name, uint64_t expected, uint64_t got) {
    if (expected == got) {
        printf("ok %s\n", name);
        return;
    }
    printf("FAIL %s: expected 0x%lx, got 0x%lx\n", name, (unsigned long)expected, (unsigned long)got);
    failures++;
}

void rt_check_trap(const char* name, uint64_t cause, uint64_t epc, uint64_t tval) {
    const struct rt_trap* t = &rt_last_trap;
    if (rt_trap_count == 1 && t->cause == cause && t->epc == epc && t->tval == tval) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: expected 1 trap cause=0x%lx epc=0x%lx tval=0x%lx, got %d cause=0x%lx epc=0x%lx tval=0x%lx\n",
               name, (unsigned long)cause, (unsigned long)epc, (unsigned long)tval, rt_trap_count,
               (unsigned long)t->cause, (unsigned long)t->epc, (unsigned long)t->tval);
        failures++;
    }
    rt_trap_reset();
}

void rt_check_no_trap(const char* name) {
    if (rt_trap_count == 0) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: expected no trap, got %d (last cause=0x%lx epc=0x%lx tval=0x%lx)\n", name, rt_trap_count,
               (unsigned long)rt_last_trap.cause, (unsigned long)rt_last_trap.epc, (unsigned long)rt_last_trap.tval);
        failures++;
    }
    rt_trap_reset();
}

int rt_failures(void) {
    return failures;
}

static int stdout_put(char c, FILE* file) {
    (void)file;
    rt_putc(c);
    return (unsigned char)c;
}
static FILE rt_stdout = FDEV_SETUP_STREAM(stdout_put, NULL, NULL, _FDEV_SETUP_WRITE);
FILE* const stdout = &rt_stdout;
FILE* const stderr = &rt_stdout;
FILE* const stdin = NULL;

void _exit(int status) {
    rt_exit(status);
}

uint64_t rt_mtime(void) {
    return *(volatile uint64_t*)(RT_CLINT_BASE + 0xbff8);
}
void rt_set_mtimecmp(unsigned hart, uint64_t value) {
    *(volatile uint64_t*)(RT_CLINT_BASE + 0x4000 + 8 * hart) = value;
}
void rt_set_msip(unsigned hart, int value) {
    *(volatile uint32_t*)(RT_CLINT_BASE + 4 * hart) = (uint32_t)value;
}

uint64_t rt_wait_mip(uint64_t bits, uint64_t ticks) {
    uint64_t start = rt_mtime();
    uint64_t mip = csr_read(mip);
    /* Spins rather than wfi: the bits waited for need not be enabled in mie. */
    while ((mip & bits) != bits && rt_mtime() - start < ticks) mip = csr_read(mip);
    return mip;
}
