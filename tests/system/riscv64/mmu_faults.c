/* mmu_faults: Sv39 permission checks. Invalid PTEs, missing R/W/X, the reserved W-without-R
 * encoding and a pointer PTE at the last level fault with the right cause (12 fetch, 13 load,
 * 15 store), mtval = the virtual address and mepc = the faulting instruction (the target for a
 * fetch). MXR makes X pages readable; SUM lets S read/write but never execute U pages; U cannot
 * touch S pages; MPRV translates M-mode loads as S; page faults delegated to S reach stvec. */
#include "runtime.h"
#include "vm.h"

#define VA_NONE 0x40000000ul
#define VA_RO 0x40001000ul
#define VA_XO 0x40002000ul
#define VA_RW 0x40003000ul
#define VA_WO 0x40004000ul
#define VA_USER 0x40005000ul
#define VA_LEAFLESS 0x40006000ul

static struct vm svm, uvm;
static uint64_t store_value = 0x5151;

static long s_ld(long va) {
    return (long)rt_ld((uintptr_t)va);
}
static long s_sd(long va) {
    rt_sd((uintptr_t)va, store_value);
    return 0;
}
static long s_exec(long va) {
    return rt_exec((uintptr_t)va);
}

/* A page holding "li a0, 42; ret" at offset 0 and 0x5a5a at offset 8. */
static uint64_t code_page(void) {
    uint32_t* page = (uint32_t*)vm_alloc_page();
    page[0] = 0x02a00513;
    page[1] = 0x00008067;
    page[2] = 0x5a5a;
    __asm__ volatile("fence.i" ::: "memory");
    return (uintptr_t)page;
}

static void expect_ld(const char* name, int prv, uint64_t va, bool faults) {
    long got = rt_run(prv, s_ld, (long)va);
    if (faults)
        rt_check_trap(name, CAUSE_LOAD_PAGE, (uintptr_t)rt_ld_insn, va);
    else
        rt_check(name, 0x5a5a, (uint64_t)got), rt_trap_reset();
}

static void expect_sd(const char* name, int prv, uint64_t va, bool faults) {
    rt_run(prv, s_sd, (long)va);
    if (faults)
        rt_check_trap(name, CAUSE_STORE_PAGE, (uintptr_t)rt_sd_insn, va);
    else
        rt_check_no_trap(name);
}

static void expect_exec(const char* name, int prv, uint64_t va, bool faults) {
    long got = rt_run(prv, s_exec, (long)va);
    if (faults)
        rt_check_trap(name, CAUSE_FETCH_PAGE, va, va);
    else
        rt_check(name, 42, (uint64_t)got), rt_trap_reset();
}

/* M-mode load with MPRV = 1 and MPP = S: translated and checked as an S access. */
static uint64_t mprv_ld(uint64_t va) {
    uint64_t value = ~0ul;
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, (uint64_t)PRV_S << MSTATUS_MPP_SHIFT);
    __asm__ volatile("csrs mstatus, %1\n ld %0, 0(%2)\n csrc mstatus, %1"
                     : "+r"(value)
                     : "r"(MSTATUS_MPRV), "r"(va)
                     : "memory");
    return value;
}

int main(void) {
    rt_trap_reset();
    vm_init(&svm, 3);
    vm_map_dram(&svm, 0);
    uint64_t code = code_page();
    *vm_map(&svm, VA_NONE, code, 0, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D) &= ~PTE_V;
    vm_map(&svm, VA_RO, code, 0, PTE_R | PTE_A);
    vm_map(&svm, VA_XO, code, 0, PTE_X | PTE_A);
    vm_map(&svm, VA_RW, code, 0, PTE_R | PTE_W | PTE_A | PTE_D);
    vm_map(&svm, VA_WO, code, 0, PTE_W | PTE_A | PTE_D);
    vm_map(&svm, VA_USER, code, 0, PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D);
    *vm_map(&svm, VA_LEAFLESS, code, 0, 0) = ((uint64_t)vm_alloc_page() >> 12) << PTE_PPN_SHIFT | PTE_V;
    csr_write(satp, vm_satp(&svm, 0));
    vm_sfence_all();

    expect_ld("V=0: load faults", PRV_S, VA_NONE + 8, true);
    expect_sd("V=0: store faults", PRV_S, VA_NONE + 8, true);
    expect_exec("V=0: fetch faults", PRV_S, VA_NONE, true);
    expect_ld("R only: load works", PRV_S, VA_RO + 8, false);
    expect_sd("R only: store faults", PRV_S, VA_RO + 16, true);
    expect_exec("R only: fetch faults", PRV_S, VA_RO, true);
    expect_ld("X only: load faults", PRV_S, VA_XO + 8, true);
    expect_exec("X only: fetch works", PRV_S, VA_XO, false);
    csr_set(mstatus, MSTATUS_MXR);
    expect_ld("X only with MXR: load works", PRV_S, VA_XO + 8, false);
    csr_clear(mstatus, MSTATUS_MXR);
    expect_exec("RW without X: fetch faults", PRV_S, VA_RW, true);
    expect_sd("RW: store works", PRV_S, VA_RW + 16, false);
    expect_ld("W without R (reserved): load faults", PRV_S, VA_WO + 8, true);
    expect_sd("W without R (reserved): store faults", PRV_S, VA_WO + 16, true);
    expect_ld("pointer PTE at level 0: load faults", PRV_S, VA_LEAFLESS + 8, true);

    expect_ld("U page from S, SUM=0: load faults", PRV_S, VA_USER + 8, true);
    expect_sd("U page from S, SUM=0: store faults", PRV_S, VA_USER + 16, true);
    csr_set(mstatus, MSTATUS_SUM);
    expect_ld("U page from S, SUM=1: load works", PRV_S, VA_USER + 8, false);
    expect_sd("U page from S, SUM=1: store works", PRV_S, VA_USER + 16, false);
    expect_exec("U page from S, SUM=1: fetch still faults", PRV_S, VA_USER, true);
    csr_clear(mstatus, MSTATUS_SUM);
    /* Clearing SUM flushes nothing (SUM=1 has a TLB of its own): what SUM=1 cached must not serve. */
    expect_ld("U page from S, SUM=0 again: load faults", PRV_S, VA_USER + 8, true);
    expect_sd("U page from S, SUM=0 again: store faults", PRV_S, VA_USER + 16, true);

    rt_check("M with MPRV, MPP=S: translated load", 0x5a5a, mprv_ld(VA_RO + 8));
    rt_check_no_trap("  no fault");
    mprv_ld(VA_NONE + 8);
    rt_check("M with MPRV, MPP=S: fault on an invalid page", CAUSE_LOAD_PAGE, rt_last_trap.cause);
    rt_check("  mtval is the virtual address", VA_NONE + 8, rt_last_trap.tval);
    rt_trap_reset();

    csr_write(medeleg, 1ul << CAUSE_FETCH_PAGE | 1ul << CAUSE_LOAD_PAGE | 1ul << CAUSE_STORE_PAGE);
    rt_run(PRV_S, s_ld, VA_NONE + 8);
    int handled_in = rt_last_trap.handled_in;
    rt_check_trap("delegated: scause/sepc/stval of a load fault", CAUSE_LOAD_PAGE, (uintptr_t)rt_ld_insn, VA_NONE + 8);
    rt_check("  handled in S", PRV_S, handled_in);
    csr_write(medeleg, 0);

    /* U-mode code needs U pages: a second table maps DRAM with U set. */
    vm_init(&uvm, 3);
    vm_map_dram(&uvm, PTE_U);
    vm_map(&uvm, VA_USER, code, 0, PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D);
    vm_map(&uvm, VA_RO, code, 0, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    csr_write(satp, vm_satp(&uvm, 0));
    vm_sfence_all();
    expect_ld("U: load from a U page works", PRV_U, VA_USER + 8, false);
    expect_exec("U: fetch from a U page works", PRV_U, VA_USER, false);
    expect_ld("U: load from an S page faults", PRV_U, VA_RO + 8, true);
    expect_sd("U: store to an S page faults", PRV_U, VA_RO + 16, true);
    expect_exec("U: fetch from an S page faults", PRV_U, VA_RO, true);
    csr_write(satp, 0);
    return 0;
}
