/* smp_ipi (-smp 4): harts 1-3 start from their wfi loop when hart 0 raises their msip, each runs
 * with its own mhartid, stack and thread-local data, waits in wfi (MIE = 0) for a second IPI, then
 * all four harts increment one counter with amoadd.d and another with an lr.d/sc.d loop; hart 0
 * checks both totals. Every wait has a 10 s deadline so a missing hart fails instead of hanging. */
#include "runtime.h"

#define NHARTS 4
#define ROUNDS 20000
#define DEADLINE (10 * RT_TIMEBASE_HZ)

static volatile uint64_t started, finished, amo_counter, lrsc_counter;
static volatile uint64_t seen_mhartid[NHARTS], seen_tls[NHARTS], woken[NHARTS];
static _Thread_local uint64_t tls_probe;

static void amo_add(volatile uint64_t* p, uint64_t v) {
    __asm__ volatile("amoadd.d zero, %1, (%0)" ::"r"(p), "r"(v) : "memory");
}

static void lrsc_add(volatile uint64_t* p, uint64_t v) {
    uint64_t old, fail;
    __asm__ volatile("1: lr.d %0, (%2)\n add %0, %0, %3\n sc.d %1, %0, (%2)\n bnez %1, 1b"
                     : "=&r"(old), "=&r"(fail)
                     : "r"(p), "r"(v)
                     : "memory");
}

static void work(void) {
    for (int i = 0; i < ROUNDS; i++) {
        amo_add(&amo_counter, 1);
        lrsc_add(&lrsc_counter, 1);
    }
}

static bool wait_for(volatile uint64_t* value, uint64_t want) {
    for (uint64_t end = rt_mtime() + DEADLINE; *value != want;)
        if (rt_mtime() > end) return false;
    return true;
}

void secondary_main(unsigned hart) {
    tls_probe = 0x100 + hart;
    seen_mhartid[hart] = csr_read(mhartid);
    seen_tls[hart] = tls_probe;
    csr_write(mie, MIP_MSIP);
    amo_add(&started, 1);
    while (!(csr_read(mip) & MIP_MSIP)) __asm__ volatile("wfi");
    rt_set_msip(hart, 0);
    woken[hart] = 1;
    work();
    amo_add(&finished, 1);
}

int main(void) {
    tls_probe = 0x100;
    for (unsigned h = 1; h < NHARTS; h++) rt_start_hart(h);
    rt_check("harts 1-3 started", 1, wait_for(&started, NHARTS - 1));
    for (unsigned h = 1; h < NHARTS; h++) {
        char name[64];
        snprintf(name, sizeof name, "hart %u: mhartid", h);
        rt_check(name, h, seen_mhartid[h]);
        snprintf(name, sizeof name, "hart %u: own thread-local data", h);
        rt_check(name, 0x100 + h, seen_tls[h]);
        rt_check("  not woken before the second IPI", 0, woken[h]);
    }
    for (unsigned h = 1; h < NHARTS; h++) rt_set_msip(h, 1);
    work();
    rt_check("all harts finished", 1, wait_for(&finished, NHARTS - 1));
    rt_check("amoadd.d total", NHARTS * ROUNDS, amo_counter);
    rt_check("lr.d/sc.d total", NHARTS * ROUNDS, lrsc_counter);
    rt_check("hart 0 thread-local data untouched", 0x100, tls_probe);
    return 0;
}
