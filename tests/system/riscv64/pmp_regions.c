/* pmp_regions: physical memory protection for S and U. NAPOT, TOR and NA4 entries grant R/W/X
 * separately; the lowest-numbered matching entry decides; a denied access raises an access fault
 * (1 fetch, 5 load, 7 store) with mtval = the address and mepc = the instruction (the target for
 * a fetch); an S/U access that matches no entry fails; M-mode ignores unlocked entries. */
#include "pmp.h"
#include "runtime.h"

#define PAGE 4096ul

static uint8_t area[4 * PAGE] __attribute__((aligned(4 * PAGE)));
static uint64_t store_value = 0x77;

static long do_ld(long addr) {
    return (long)rt_ld((uintptr_t)addr);
}
static long do_lw(long addr) {
    return (long)rt_lw((uintptr_t)addr);
}
static long do_sw(long addr) {
    rt_sw((uintptr_t)addr, (uint32_t)store_value);
    return 0;
}
static long do_exec(long addr) {
    return rt_exec((uintptr_t)addr);
}

static void expect(const char* name, int prv, long (*fn)(long), uintptr_t addr, uint64_t cause) {
    char text[96];
    rt_run(prv, fn, (long)addr);
    snprintf(text, sizeof text, "%s from %c", name, prv == PRV_S ? 'S' : 'U');
    if (cause == ~0ul) {
        rt_check_no_trap(text);
        return;
    }
    uintptr_t pc = fn == do_exec ? addr
                   : fn == do_sw ? (uintptr_t)rt_sw_insn
                   : fn == do_lw ? (uintptr_t)rt_lw_insn
                                 : (uintptr_t)rt_ld_insn;
    rt_check_trap(text, cause, pc, addr);
}

#define OK (~0ul)

int main(void) {
    rt_trap_reset();
    uintptr_t page0 = (uintptr_t)area, page1 = page0 + PAGE, page2 = page0 + 2 * PAGE;
    uint32_t* code = (uint32_t*)page2;
    code[0] = 0x02a00513; /* li a0, 42 */
    code[1] = 0x00008067; /* ret */
    __asm__ volatile("fence.i" ::: "memory");

    pmp_set(0, pmp_napot(page0, PAGE), PMP_NAPOT | PMP_R);
    rt_check("NAPOT entry reads back", pmp_napot(page0, PAGE), pmp_read_addr(0));
    rt_check("  and its configuration", PMP_NAPOT | PMP_R, pmp_read_cfg(0));
    for (int prv = PRV_U; prv <= PRV_S; prv++) {
        expect("NAPOT R: load", prv, do_ld, page0 + 8, OK);
        expect("NAPOT R: store", prv, do_sw, page0 + 16, CAUSE_STORE_ACCESS);
        expect("NAPOT R: fetch", prv, do_exec, page0, CAUSE_FETCH_ACCESS);
    }
    rt_sw(page0 + 16, 1);
    rt_check_no_trap("M ignores the unlocked entry");

    /* TOR: entry 2 covers [pmpaddr1, pmpaddr2) = the first half of page 1; entry 1 is off. */
    pmp_set(1, page1 >> 2, 0);
    pmp_set(2, (page1 + PAGE / 2) >> 2, PMP_TOR);
    expect("TOR no access: load at its start", PRV_S, do_ld, page1, CAUSE_LOAD_ACCESS);
    expect("TOR no access: load at its last word", PRV_S, do_lw, page1 + PAGE / 2 - 4, CAUSE_LOAD_ACCESS);
    expect("TOR no access: store", PRV_U, do_sw, page1 + 64, CAUSE_STORE_ACCESS);
    expect("just past the TOR top: load", PRV_S, do_ld, page1 + PAGE / 2, OK);
    expect("just below the TOR base: load", PRV_S, do_ld, page1 - 8, OK);

    /* NA4 on one word: lower-numbered than nothing else here, so only that word is affected. */
    uintptr_t word = page1 + PAGE / 2 + 0x100;
    pmp_set(3, word >> 2, PMP_NA4 | PMP_R);
    expect("NA4 R: store to the word", PRV_S, do_sw, word, CAUSE_STORE_ACCESS);
    expect("NA4 R: load from the word", PRV_S, do_lw, word, OK);
    expect("NA4 R: store to the next word", PRV_S, do_sw, word + 4, OK);
    expect("NA4 R: store to the word before", PRV_S, do_sw, word - 4, OK);

    pmp_set(4, pmp_napot(page2, PAGE), PMP_NAPOT | PMP_X);
    rt_check("NAPOT X only: fetch from S runs the code", 42, rt_run(PRV_S, do_exec, page2));
    rt_check_no_trap("  no fault");
    expect("NAPOT X only: load", PRV_U, do_ld, page2, CAUSE_LOAD_ACCESS);
    /* Entry 0 (lower number) wins over a wider entry 5 that would allow stores. */
    pmp_set(5, pmp_napot(page0, 4 * PAGE), PMP_NAPOT | PMP_R | PMP_W | PMP_X);
    expect("entry 0 wins over entry 5: store", PRV_S, do_sw, page0 + 32, CAUSE_STORE_ACCESS);
    for (int i = 0; i <= 5; i++) pmp_set(i, 0, 0);

    /* Only the first 4 MiB of DRAM allowed: S/U accesses above it match no entry and fail. */
    rt_check("image fits in 4 MiB", 1, (uintptr_t)__image_end <= RT_DRAM_BASE + 0x400000);
    pmp_set(6, pmp_napot(RT_DRAM_BASE, 0x400000), PMP_NAPOT | PMP_R | PMP_W | PMP_X);
    pmp_allow_all(0);
    uintptr_t outside = RT_DRAM_BASE + 0x400000 + 0x40;
    expect("no matching entry: load", PRV_S, do_ld, outside, CAUSE_LOAD_ACCESS);
    expect("no matching entry: store", PRV_U, do_sw, outside, CAUSE_STORE_ACCESS);
    expect("no matching entry: UART", PRV_S, do_ld, 0x10000000, CAUSE_LOAD_ACCESS);
    rt_ld(outside);
    rt_check_no_trap("M with no matching entry: allowed");
    pmp_allow_all(1);
    pmp_set(6, 0, 0);
    return 0;
}
