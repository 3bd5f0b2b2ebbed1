/* mmu_asid: two Sv39 address spaces with ASIDs 1 and 2 map the same virtual page to different
 * physical pages; S switches between them by writing satp; after a PTE of the inactive space
 * changes, sfence.vma with that ASID (rs1 = x0) makes the change visible when it is active again;
 * satp keeps 16 ASID bits. */
#include "runtime.h"
#include "vm.h"

#define VA 0x40001000ul

static struct vm space[2];
static uint64_t satp_of[2];
static uint64_t* pte_a;
static uint64_t new_page_a;

static long s_ld_in(long which) {
    csr_write(satp, satp_of[which]);
    return (long)rt_ld(VA);
}

/* In S, with space 2 active: repoint space 1's PTE, fence ASID 1, switch to space 1 and load. */
static long s_remap_other_space(long unused) {
    csr_write(satp, satp_of[1]);
    rt_ld(VA);
    *pte_a = (new_page_a >> 12) << PTE_PPN_SHIFT | PTE_V | PTE_R | PTE_A;
    vm_sfence_asid(1);
    csr_write(satp, satp_of[0]);
    return (long)rt_ld(VA);
}

int main(void) {
    rt_trap_reset();
    csr_write(satp, SATP_MODE_SV39 << SATP_MODE_SHIFT | 0xfffful << SATP_ASID_SHIFT);
    rt_check("satp holds a 16-bit ASID", 0xffff, (csr_read(satp) >> SATP_ASID_SHIFT) & 0xffff);
    csr_write(satp, 0);

    uint64_t* pages[3];
    for (int i = 0; i < 3; i++) {
        pages[i] = vm_alloc_page();
        pages[i][0] = 0x1000 + i;
    }
    for (int i = 0; i < 2; i++) {
        vm_init(&space[i], 3);
        vm_map_dram(&space[i], 0);
        vm_map(&space[i], VA, (uintptr_t)pages[i], 0, PTE_R | PTE_A);
        satp_of[i] = vm_satp(&space[i], (uint64_t)i + 1);
    }
    pte_a = vm_pte(&space[0], VA, 0);
    new_page_a = (uintptr_t)pages[2];
    vm_sfence_all();

    rt_check("ASID 1 sees its page", 0x1000, rt_run(PRV_S, s_ld_in, 0));
    rt_check("ASID 2 sees its page", 0x1001, rt_run(PRV_S, s_ld_in, 1));
    rt_check("back in ASID 1", 0x1000, rt_run(PRV_S, s_ld_in, 0));
    rt_check("ASID 1 remapped from ASID 2, sfence.vma x0, 1", 0x1002, rt_run(PRV_S, s_remap_other_space, 0));
    rt_check("ASID 2 unchanged", 0x1001, rt_run(PRV_S, s_ld_in, 1));
    rt_check_no_trap("no faults");
    csr_write(satp, 0);
    return 0;
}
