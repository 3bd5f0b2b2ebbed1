/* PMP entry programming for the PMP tests (entries 0-7 via pmpaddr0-7 and pmpcfg0; the runtime
 * owns entry 15, its allow-all entry). */
#pragma once

#include "csr.h"

static inline uint64_t pmp_napot(uint64_t base, uint64_t size) {
    return (base >> 2) | ((size >> 3) - 1);
}

static inline void pmp_write_addr(int i, uint64_t value) {
    switch (i) {
        case 0: csr_write(pmpaddr0, value); break;
        case 1: csr_write(pmpaddr1, value); break;
        case 2: csr_write(pmpaddr2, value); break;
        case 3: csr_write(pmpaddr3, value); break;
        case 4: csr_write(pmpaddr4, value); break;
        case 5: csr_write(pmpaddr5, value); break;
        case 6: csr_write(pmpaddr6, value); break;
        case 7: csr_write(pmpaddr7, value); break;
    }
}

static inline uint64_t pmp_read_addr(int i) {
    switch (i) {
        case 0: return csr_read(pmpaddr0);
        case 1: return csr_read(pmpaddr1);
        case 2: return csr_read(pmpaddr2);
        case 3: return csr_read(pmpaddr3);
        case 4: return csr_read(pmpaddr4);
        case 5: return csr_read(pmpaddr5);
        case 6: return csr_read(pmpaddr6);
        default: return csr_read(pmpaddr7);
    }
}

static inline uint8_t pmp_read_cfg(int i) {
    return (uint8_t)(csr_read(pmpcfg0) >> (8 * i));
}

/* Entry i (0-7): its address register, then its configuration byte. */
static inline void pmp_set(int i, uint64_t addr, uint8_t cfg) {
    pmp_write_addr(i, addr);
    uint64_t cfgs = csr_read(pmpcfg0);
    cfgs &= ~(0xfful << (8 * i));
    cfgs |= (uint64_t)cfg << (8 * i);
    csr_write(pmpcfg0, cfgs);
    __asm__ volatile("sfence.vma" ::: "memory");
}

/* The runtime's allow-all entry 15, on or off. */
static inline void pmp_allow_all(int on) {
    uint64_t cfgs = csr_read(pmpcfg2) & ~(0xfful << 56);
    csr_write(pmpcfg2, cfgs | (on ? (uint64_t)(PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56 : 0));
    __asm__ volatile("sfence.vma" ::: "memory");
}
