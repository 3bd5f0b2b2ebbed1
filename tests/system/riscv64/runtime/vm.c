/* Page-table construction for the paging tests (see vm.h). Tables live in a static pool in
 * DRAM, so S-mode code running on the 1:1 gigapage can edit PTEs directly. */
#include "vm.h"

#include <string.h>

#include "csr.h"
#include "runtime.h"

#define POOL_PAGES 48

static uint64_t pool[POOL_PAGES][VM_PAGE / 8] __attribute__((aligned(VM_PAGE)));
static int pool_used;

uint64_t* vm_alloc_page(void) {
    if (pool_used == POOL_PAGES) {
        printf("FAIL vm page pool exhausted\n");
        rt_exit(4);
    }
    uint64_t* page = pool[pool_used++];
    memset(page, 0, VM_PAGE);
    return page;
}

void vm_init(struct vm* vm, int levels) {
    vm->root = vm_alloc_page();
    vm->levels = levels;
}

static unsigned vpn(uint64_t va, int level) {
    return (va >> (12 + 9 * level)) & 511;
}

static uint64_t* walk(const struct vm* vm, uint64_t va, int level, bool create) {
    uint64_t* table = vm->root;
    for (int l = vm->levels - 1; l > level; l--) {
        uint64_t* pte = &table[vpn(va, l)];
        if (!(*pte & PTE_V)) {
            if (!create) return NULL;
            *pte = ((uint64_t)vm_alloc_page() >> 12) << PTE_PPN_SHIFT | PTE_V;
        }
        table = (uint64_t*)((*pte >> PTE_PPN_SHIFT) << 12);
    }
    return &table[vpn(va, level)];
}

uint64_t* vm_map(struct vm* vm, uint64_t va, uint64_t pa, int level, uint64_t flags) {
    uint64_t* pte = walk(vm, va, level, true);
    *pte = (pa >> 12) << PTE_PPN_SHIFT | flags | PTE_V;
    __asm__ volatile("fence rw, rw" ::: "memory");
    return pte;
}

uint64_t* vm_pte(const struct vm* vm, uint64_t va, int level) {
    return walk(vm, va, level, false);
}

void vm_map_dram(struct vm* vm, uint64_t extra) {
    vm_map(vm, RT_DRAM_BASE, RT_DRAM_BASE, 2, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | extra);
}

uint64_t vm_satp(const struct vm* vm, uint64_t asid) {
    uint64_t mode = vm->levels == 4 ? SATP_MODE_SV48 : SATP_MODE_SV39;
    return mode << SATP_MODE_SHIFT | asid << SATP_ASID_SHIFT | (uint64_t)vm->root >> 12;
}
