/* Probe: a block that straddles a page boundary, reached through a direct chain from a block on
 * its first page, must see a remap of its second page after sfence.vma. */
#include "runtime.h"
#include "vm.h"

#define VA_P 0x40010000ul
static struct vm vm;

static uint32_t jal0(int32_t off) {
    uint32_t i = (uint32_t)off;
    return ((i >> 20) & 1) << 31 | ((i >> 1) & 0x3ff) << 21 | ((i >> 11) & 1) << 20 | ((i >> 12) & 0xff) << 12 | 0x6f;
}
static long s_exec(long va) { return rt_exec((uintptr_t)va); }

int main(void) {
    rt_trap_reset();
    vm_init(&vm, 3);
    vm_map_dram(&vm, 0);
    csr_write(satp, vm_satp(&vm, 0));
    vm_sfence_all();
    uint8_t* p = (uint8_t*)vm_alloc_page();
    uint8_t* a = (uint8_t*)vm_alloc_page();
    uint8_t* b = (uint8_t*)vm_alloc_page();
    *(uint32_t*)(p + 0) = 0x00000513;        /* li a0, 0 */
    *(uint32_t*)(p + 4) = jal0(0xffa - 4);   /* j 0xffa */
    *(uint16_t*)(p + 0xffa) = 0x0001;        /* c.nop */
    *(uint16_t*)(p + 0xffc) = 0x0001;        /* c.nop */
    *(uint16_t*)(p + 0xffe) = 0x0513;        /* addi a0, a0, imm: low half */
    *(uint16_t*)(a + 0) = 0x0015;            /* imm = 1 */
    *(uint16_t*)(a + 2) = 0x8082;            /* ret */
    *(uint16_t*)(b + 0) = 0x0025;            /* imm = 2 */
    *(uint16_t*)(b + 2) = 0x8082;            /* ret */
    __asm__ volatile("fence.i" ::: "memory");
    vm_map(&vm, VA_P, (uintptr_t)p, 0, PTE_X | PTE_R | PTE_A);
    uint64_t* pte2 = vm_map(&vm, VA_P + 0x1000, (uintptr_t)a, 0, PTE_X | PTE_R | PTE_A);
    vm_sfence_all();
    for (int i = 0; i < 3; i++) rt_check("second page A", 1, rt_run(PRV_S, s_exec, VA_P));
    *pte2 = ((uintptr_t)b >> 12) << PTE_PPN_SHIFT | PTE_V | PTE_X | PTE_R | PTE_A;
    vm_sfence_all();
    for (int i = 0; i < 2; i++) rt_check("second page remapped to B", 2, rt_run(PRV_S, s_exec, VA_P));
    csr_write(satp, 0);
    return rt_failures() ? 1 : 0;
}
