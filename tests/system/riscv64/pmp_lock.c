/* pmp_lock: locked PMP entries (L = 1). They apply to M-mode too (store and fetch access faults,
 * causes 7 and 1, with mtval = the address), ignore writes to their pmpcfg byte and pmpaddr
 * (and a locked TOR entry also locks the pmpaddr below it), and still lose to a lower-numbered
 * unlocked entry, which gives M full access. Locks last until reset, so this test runs alone. */
#include "pmp.h"
#include "runtime.h"

#define PAGE 4096ul

static uint8_t area[4 * PAGE] __attribute__((aligned(4 * PAGE)));

static long do_sw(long addr) {
    rt_sw((uintptr_t)addr, 0x55);
    return 0;
}

int main(void) {
    rt_trap_reset();
    uintptr_t page0 = (uintptr_t)area, page1 = page0 + PAGE, page2 = page0 + 2 * PAGE, page3 = page0 + 3 * PAGE;
    uint32_t* code = (uint32_t*)page1;
    code[0] = 0x02a00513; /* li a0, 42 */
    code[1] = 0x00008067; /* ret */
    __asm__ volatile("fence.i" ::: "memory");
    rt_check("M runs code in page 1 before the lock", 42, rt_exec(page1));

    pmp_set(0, pmp_napot(page0, PAGE), PMP_L | PMP_NAPOT | PMP_R);
    rt_check("locked R entry: M load works", 0, rt_lw(page0 + 8));
    rt_sw(page0 + 8, 1);
    rt_check_trap("locked R entry: M store faults", CAUSE_STORE_ACCESS, (uintptr_t)rt_sw_insn, page0 + 8);
    rt_run(PRV_S, do_sw, (long)(page0 + 8));
    rt_check_trap("locked R entry: S store faults", CAUSE_STORE_ACCESS, (uintptr_t)rt_sw_insn, page0 + 8);
    pmp_set(0, 0, PMP_NAPOT | PMP_R | PMP_W | PMP_X);
    rt_check("locked pmpaddr0 ignores writes", pmp_napot(page0, PAGE), pmp_read_addr(0));
    rt_check("locked pmpcfg byte ignores writes", PMP_L | PMP_NAPOT | PMP_R, pmp_read_cfg(0));

    pmp_set(1, pmp_napot(page1, PAGE), PMP_L | PMP_NAPOT | PMP_R | PMP_W);
    rt_check("locked RW entry: M fetch returns through the fault", (uint64_t)-1, rt_exec(page1));
    rt_check_trap("  instruction access fault at the target", CAUSE_FETCH_ACCESS, page1, page1);

    pmp_set(2, page2 >> 2, 0);
    pmp_set(3, (page2 + PAGE) >> 2, PMP_L | PMP_TOR | PMP_R | PMP_W | PMP_X);
    pmp_write_addr(2, (page2 + 64) >> 2);
    rt_check("locked TOR entry 3 also locks pmpaddr2", page2 >> 2, pmp_read_addr(2));

    pmp_set(4, pmp_napot(page3, PAGE / 2), PMP_NAPOT | PMP_R);
    pmp_set(5, pmp_napot(page3, PAGE), PMP_L | PMP_NAPOT | PMP_R);
    rt_sw(page3 + 8, 1);
    rt_check_no_trap("unlocked entry 4 matches first: M store allowed");
    rt_sw(page3 + PAGE / 2 + 8, 1);
    rt_check_trap("past entry 4, locked entry 5: M store faults", CAUSE_STORE_ACCESS, (uintptr_t)rt_sw_insn,
                  page3 + PAGE / 2 + 8);
    return 0;
}
