/* Page tables for the paging tests: a pool of zeroed 4 KiB pages, Sv39/Sv48 mapping at any
 * level (4 KiB, 2 MiB, 1 GiB, 512 GiB leaves), PTE lookup, satp values and sfence.vma. */
#pragma once

#include <stdint.h>

#define VM_PAGE 4096ul
#define VM_LEVEL_SIZE(level) (VM_PAGE << (9 * (level)))

struct vm {
    uint64_t* root;
    int levels; /* 3 for Sv39, 4 for Sv48 */
};

uint64_t* vm_alloc_page(void);
void vm_init(struct vm* vm, int levels);
/* Maps va to pa with a leaf at `level` (0 = 4 KiB ... 3 = 512 GiB), creating the tables above
 * it; `flags` are the leaf's PTE bits (V is added). Returns the leaf PTE. */
uint64_t* vm_map(struct vm* vm, uint64_t va, uint64_t pa, int level, uint64_t flags);
/* The PTE for va at `level`, or NULL when a table on the way is missing. */
uint64_t* vm_pte(const struct vm* vm, uint64_t va, int level);
/* DRAM's first GiB mapped 1:1 as one gigapage (RWX, A and D set, plus `extra` bits). */
void vm_map_dram(struct vm* vm, uint64_t extra);
uint64_t vm_satp(const struct vm* vm, uint64_t asid);

static inline void vm_sfence_all(void) {
    __asm__ volatile("sfence.vma" ::: "memory");
}
static inline void vm_sfence_va(uint64_t va) {
    __asm__ volatile("sfence.vma %0" ::"r"(va) : "memory");
}
static inline void vm_sfence_asid(uint64_t asid) {
    __asm__ volatile("sfence.vma zero, %0" ::"r"(asid) : "memory");
}
