/* mmu_sv39: Sv39 translation for S-mode. 4 KiB, 2 MiB and 1 GiB leaves translate to the right
 * bytes (also in the upper half of the address space); hardware sets A on access and D on store
 * in the leaf PTE; a fetch goes through an X page; after an S-mode PTE change, sfence.vma on that
 * address makes the new mapping visible; a non-canonical address and a misaligned superpage
 * raise page faults with mtval = the virtual address and mepc = the faulting instruction. */
#include "runtime.h"
#include "vm.h"

#define VA_4K 0x40001000ul
#define VA_CODE 0x40003000ul
#define VA_2M 0x40200000ul
#define VA_BAD_2M 0x40400000ul
#define VA_1G 0xc0000000ul
#define VA_HIGH 0xffffffc000000000ul
#define PA_2M 0x80400000ul /* a 2 MiB-aligned block of DRAM the image does not use */

static struct vm vm;
static const volatile uint64_t magic = 0x5a5a00c0ffee1234;
static uint64_t store_value;
static uint64_t* remap_pte;
static uint64_t remap_to;

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

/* In S: point remap_pte at remap_to, fence that address, load through it. */
static long s_remap_and_load(long va) {
    rt_ld((uintptr_t)va); /* make sure the old translation is in use */
    *remap_pte = (remap_to >> 12) << PTE_PPN_SHIFT | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
    vm_sfence_va((uint64_t)va);
    return (long)rt_ld((uintptr_t)va);
}

static void check_fault(const char* name, uint64_t va) {
    rt_run(PRV_S, s_ld, (long)va);
    rt_check_trap(name, CAUSE_LOAD_PAGE, (uintptr_t)rt_ld_insn, va);
}

int main(void) {
    rt_trap_reset();
    rt_check("image ends below the 2 MiB test block", 1, (uintptr_t)__image_end <= PA_2M);
    vm_init(&vm, 3);
    vm_map_dram(&vm, 0);
    csr_write(satp, vm_satp(&vm, 0));
    vm_sfence_all();
    rt_check("satp holds Sv39", SATP_MODE_SV39, csr_read(satp) >> SATP_MODE_SHIFT);

    uint64_t* page = vm_alloc_page();
    page[1] = 0x1111222233334444;
    uint64_t* pte = vm_map(&vm, VA_4K, (uintptr_t)page, 0, PTE_R | PTE_W);
    rt_check("4 KiB page: load", 0x1111222233334444, rt_run(PRV_S, s_ld, VA_4K + 8));
    rt_check_no_trap("  no fault");
    rt_check("  A set by the load", PTE_A, *pte & PTE_A);
    rt_check("  D still clear", 0, *pte & PTE_D);
    store_value = 0xabcdef0123456789;
    rt_run(PRV_S, s_sd, VA_4K + 16);
    rt_check("4 KiB page: store lands in the physical page", store_value, page[2]);
    rt_check("  D set by the store", PTE_D, *pte & PTE_D);

    uint32_t* code = (uint32_t*)vm_alloc_page();
    code[0] = 0x02a00513; /* li a0, 42 */
    code[1] = 0x00008067; /* ret */
    __asm__ volatile("fence.i" ::: "memory");
    pte = vm_map(&vm, VA_CODE, (uintptr_t)code, 0, PTE_X);
    rt_check("execute from an X-only 4 KiB page", 42, rt_run(PRV_S, s_exec, VA_CODE));
    rt_check("  A set by the fetch", PTE_A, *pte & PTE_A);

    volatile uint64_t* block = (volatile uint64_t*)PA_2M;
    block[0x12340 / 8] = 0x2222333344445555;
    vm_map(&vm, VA_2M, PA_2M, 1, PTE_R | PTE_A);
    rt_check("2 MiB page: load at offset 0x12340", 0x2222333344445555, rt_run(PRV_S, s_ld, VA_2M + 0x12340));
    vm_map(&vm, VA_1G, RT_DRAM_BASE, 2, PTE_R | PTE_A);
    uint64_t offset = (uintptr_t)&magic - RT_DRAM_BASE;
    rt_check("1 GiB page: load", magic, rt_run(PRV_S, s_ld, (long)(VA_1G + offset)));
    vm_map(&vm, VA_HIGH, RT_DRAM_BASE, 2, PTE_R | PTE_A);
    rt_check("1 GiB page in the upper half", magic, rt_run(PRV_S, s_ld, (long)(VA_HIGH + offset)));
    rt_check_no_trap("  no faults");

    uint64_t* other = vm_alloc_page();
    other[1] = 0x7777888899990000;
    remap_pte = vm_pte(&vm, VA_4K, 0);
    remap_to = (uintptr_t)other;
    rt_check("S rewrites a PTE, sfence.vma addr: new page visible", 0x7777888899990000,
             rt_run(PRV_S, s_remap_and_load, VA_4K + 8));

    check_fault("non-canonical address (bit 38 not sign-extended)", 0x0000004000000000ul);
    vm_map(&vm, VA_BAD_2M, PA_2M + VM_PAGE, 1, PTE_R | PTE_A);
    check_fault("misaligned 2 MiB superpage", VA_BAD_2M + 0x40);
    vm_map(&vm, 0x100000000ul, PA_2M + VM_LEVEL_SIZE(1), 2, PTE_R | PTE_A);
    check_fault("misaligned 1 GiB superpage", 0x100000000ul + 0x1000);
    check_fault("unmapped address", VA_4K + 0x10000);

    csr_write(satp, 0);
    return 0;
}
