/* CSR access macros and the privileged-architecture constants (1.12) that the bare-metal
 * tests share: mstatus/sstatus fields, interrupt numbers, exception causes, PTE bits. */
#pragma once

#include <stdint.h>

#define RT_STR2(x) #x
#define RT_STR(x) RT_STR2(x)

#define csr_read(csr)                                                    \
    ({                                                                   \
        unsigned long __v;                                               \
        __asm__ volatile("csrr %0, " RT_STR(csr) : "=r"(__v)::"memory"); \
        __v;                                                             \
    })
#define csr_write(csr, val) __asm__ volatile("csrw " RT_STR(csr) ", %0" ::"r"((unsigned long)(val)) : "memory")
#define csr_set(csr, val) __asm__ volatile("csrs " RT_STR(csr) ", %0" ::"r"((unsigned long)(val)) : "memory")
#define csr_clear(csr, val) __asm__ volatile("csrc " RT_STR(csr) ", %0" ::"r"((unsigned long)(val)) : "memory")
#define csr_swap(csr, val)                                                                                    \
    ({                                                                                                        \
        unsigned long __v;                                                                                    \
        __asm__ volatile("csrrw %0, " RT_STR(csr) ", %1" : "=r"(__v) : "r"((unsigned long)(val)) : "memory"); \
        __v;                                                                                                  \
    })

#define MSTATUS_SIE (1ul << 1)
#define MSTATUS_MIE (1ul << 3)
#define MSTATUS_SPIE (1ul << 5)
#define MSTATUS_MPIE (1ul << 7)
#define MSTATUS_SPP (1ul << 8)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP (3ul << 11)
#define MSTATUS_FS (3ul << 13)
#define MSTATUS_MPRV (1ul << 17)
#define MSTATUS_SUM (1ul << 18)
#define MSTATUS_MXR (1ul << 19)
#define MSTATUS_TVM (1ul << 20)
#define MSTATUS_TW (1ul << 21)
#define MSTATUS_TSR (1ul << 22)

/* Interrupt numbers: bit positions in mip/mie and the low bits of an interrupt's cause. */
#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define MIP_SSIP (1ul << IRQ_SSI)
#define MIP_MSIP (1ul << IRQ_MSI)
#define MIP_STIP (1ul << IRQ_STI)
#define MIP_MTIP (1ul << IRQ_MTI)
#define MIP_SEIP (1ul << IRQ_SEI)
#define MIP_MEIP (1ul << IRQ_MEI)
#define CAUSE_INTERRUPT (1ul << 63)

#define CAUSE_FETCH_MISALIGNED 0
#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL 2
#define CAUSE_BREAKPOINT 3
#define CAUSE_LOAD_MISALIGNED 4
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_STORE_MISALIGNED 6
#define CAUSE_STORE_ACCESS 7
#define CAUSE_ECALL_U 8
#define CAUSE_ECALL_S 9
#define CAUSE_ECALL_M 11
#define CAUSE_FETCH_PAGE 12
#define CAUSE_LOAD_PAGE 13
#define CAUSE_STORE_PAGE 15

#define PTE_V (1ul << 0)
#define PTE_R (1ul << 1)
#define PTE_W (1ul << 2)
#define PTE_X (1ul << 3)
#define PTE_U (1ul << 4)
#define PTE_G (1ul << 5)
#define PTE_A (1ul << 6)
#define PTE_D (1ul << 7)
#define PTE_PPN_SHIFT 10

#define SATP_MODE_SHIFT 60
#define SATP_MODE_SV39 8ul
#define SATP_MODE_SV48 9ul
#define SATP_ASID_SHIFT 44

#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_TOR 0x08
#define PMP_NA4 0x10
#define PMP_NAPOT 0x18
#define PMP_L 0x80

#define MENVCFG_STCE (1ul << 63)
