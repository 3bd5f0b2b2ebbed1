/* mmu_sv48: Sv48 four-level translation (QEMU 7.2's default CPU supports Sv39, Sv48 and Sv57;
 * satp keeps MODE = 9). 4 KiB pages at addresses Sv39 could not reach, 512 GiB terapages in the
 * lower and upper halves, and page faults for a misaligned terapage and a non-canonical address
 * (mtval = the virtual address). */
#include "runtime.h"
#include "vm.h"

#define VA_HIGH_4K 0x00007f0000001000ul  /* top-level index 254 */
#define VA_BIT38_4K 0x0000004000002000ul /* non-canonical in Sv39, fine in Sv48 */
#define VA_TERA 0x0000008000000000ul     /* top-level index 1 */
#define VA_UPPER_TERA 0xffff800000000000ul
#define VA_BAD_TERA 0x0000010000000000ul

static struct vm vm;
static const volatile uint64_t magic = 0x48484848c0ffee48;

static long s_ld(long va) {
    return (long)rt_ld((uintptr_t)va);
}

static void check_fault(const char* name, uint64_t va) {
    rt_run(PRV_S, s_ld, (long)va);
    rt_check_trap(name, CAUSE_LOAD_PAGE, (uintptr_t)rt_ld_insn, va);
}

int main(void) {
    rt_trap_reset();
    vm_init(&vm, 4);
    vm_map_dram(&vm, 0);
    csr_write(satp, vm_satp(&vm, 0));
    vm_sfence_all();
    rt_check("satp keeps MODE = Sv48", SATP_MODE_SV48, csr_read(satp) >> SATP_MODE_SHIFT);

    uint64_t* page = vm_alloc_page();
    page[3] = 0x4444000011112222;
    vm_map(&vm, VA_HIGH_4K, (uintptr_t)page, 0, PTE_R | PTE_A);
    vm_map(&vm, VA_BIT38_4K, (uintptr_t)page, 0, PTE_R | PTE_A);
    rt_check("4 KiB page at 0x7f0000001000", page[3], rt_run(PRV_S, s_ld, VA_HIGH_4K + 24));
    rt_check("4 KiB page at 0x4000002000", page[3], rt_run(PRV_S, s_ld, VA_BIT38_4K + 24));
    vm_map(&vm, VA_TERA, 0, 3, PTE_R | PTE_A);
    rt_check("512 GiB page onto physical 0", magic, rt_run(PRV_S, s_ld, (long)(VA_TERA + (uintptr_t)&magic)));
    vm_map(&vm, VA_UPPER_TERA, 0, 3, PTE_R | PTE_A);
    rt_check("512 GiB page in the upper half", magic, rt_run(PRV_S, s_ld, (long)(VA_UPPER_TERA + (uintptr_t)&magic)));
    rt_check_no_trap("  no faults");

    vm_map(&vm, VA_BAD_TERA, VM_LEVEL_SIZE(2), 3, PTE_R | PTE_A);
    check_fault("misaligned 512 GiB superpage", VA_BAD_TERA + 0x1000);
    check_fault("non-canonical address (bit 47 not sign-extended)", 0x0000800000000000ul);
    check_fault("unmapped address", VA_HIGH_4K + 0x1000);
    csr_write(satp, 0);
    return 0;
}
