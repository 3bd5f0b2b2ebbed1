/* hot_mmio: a hot loop that now and then accesses a device register (the CLINT's mtimecmp, with
 * the timer interrupt disabled) straight after a store to RAM. Under the tiered engine the loop
 * runs as a region, and its MMIO accesses leave for the lower tier with the registers as they
 * were at the start of their group of instructions without side effects, after the store
 * (LowerOptions::retry_below): every store must happen exactly once, and every register must
 * end as the interpreter and QEMU leave it. */
#include "runtime.h"

enum { kIterations = 1 << 24 };

static volatile uint64_t counter;

int main(void) {
    volatile uint64_t* mtimecmp = (volatile uint64_t*)(RT_CLINT_BASE + 0x4000);
    *mtimecmp = 1000;
    uint64_t sum = 0, mix = 1;
    for (uint64_t i = 0; i < kIterations; i++) {
        sum += i * 3; /* registers only, dirty in the region by the time of the access */
        if ((i & 7) == 0) {
            counter++;                 /* a RAM store, then in the same block */
            mix = mix * 5 + *mtimecmp; /* an MMIO load */
            *mtimecmp += 1;            /* an MMIO load and store */
        }
    }
    rt_check("mtimecmp advanced every eighth iteration", 1000 + kIterations / 8, *mtimecmp);
    rt_check("the RAM counter too", kIterations / 8, counter);
    rt_check("register sum", 3ull * kIterations * (kIterations - 1) / 2, sum);
    printf("mix %016llx\n", (unsigned long long)mix);
    *mtimecmp = ~0ull;
    return 0;
}
