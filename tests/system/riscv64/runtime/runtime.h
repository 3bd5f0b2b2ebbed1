/* The bare-metal test runtime: boot, console, exit, CLINT, trap recording and hooks, running a
 * function in S or U mode, probe instructions at known addresses, and the checks that make up
 * a test's transcript. Works on `-M virt` (UART + finisher) and `-M spike` (HTIF). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "csr.h"
#include "layout.h"

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* Registers of the interrupted context, saved on the trap stack; a hook may change them. */
struct rt_frame {
    uint64_t x[32]; /* x[2] is the interrupted sp */
    uint64_t epc;
    uint64_t cause;
    uint64_t tval;
    uint64_t status; /* mstatus or sstatus when the trap was taken */
    int64_t vector;  /* vectored-mode slot the trap came through, -1 for the direct entry */
};

/* What the runtime remembers about the last trap taken on this hart. */
struct rt_trap {
    uint64_t cause, epc, tval, status;
    int64_t vector;
    int handled_in; /* PRV_M or PRV_S */
    int from;       /* privilege the trap was taken from (MPP/SPP) */
};

extern _Thread_local struct rt_trap rt_last_trap;
extern _Thread_local int rt_trap_count;

/* A hook sees every trap after it is recorded; returning true means the hook has dealt with
 * it (and set f->epc as needed), false lets the default policy run: fetch faults resume at
 * the return address, other exceptions skip the instruction, interrupts fail the test. */
typedef bool (*rt_hook)(struct rt_frame* f);
void rt_set_m_hook(rt_hook hook);
void rt_set_s_hook(rt_hook hook);
void rt_trap_reset(void);

/* Runs fn(arg) in privilege `prv` (PRV_M, PRV_S or PRV_U) and returns its result in M-mode.
 * The lower mode returns through an ecall that the M handler (or the S handler, forwarding)
 * recognises; mstatus.MIE is restored to its value at the call. */
long rt_run(int prv, long (*fn)(long), long arg);

/* An ecall after which execution continues in M-mode (the handler sets MPP = M). The trap is
 * recorded like any other, so rt_last_trap.status shows mstatus as the ecall found it. Only for
 * code whose ecalls are not delegated. */
static inline void rt_to_m(void) {
    register unsigned long a7 __asm__("a7") = RT_TO_M_MAGIC;
    __asm__ volatile("ecall" : "+r"(a7)::"memory");
}

/* Probe instructions (uncompressed, one per function) whose addresses tests compare with
 * mepc/sepc. A faulting load returns its address unchanged, a faulting store does nothing. */
uint64_t rt_ld(uintptr_t addr);
uint32_t rt_lw(uintptr_t addr);
uint8_t rt_lbu(uintptr_t addr);
void rt_sd(uintptr_t addr, uint64_t value);
void rt_sw(uintptr_t addr, uint32_t value);
long rt_exec(uintptr_t addr); /* calls code at addr; a fetch fault returns -1 */
extern char rt_ld_insn[], rt_lw_insn[], rt_lbu_insn[], rt_sd_insn[], rt_sw_insn[], rt_exec_insn[];

/* Executes one instruction (assembled uncompressed, or compressed for the 16 variant) and returns
 * its address, for comparing with xepc. a7 is zeroed first so an ecall is never rt_run's; the
 * instruction may write t5 and t6. */
#define RT_INSN_AT(insn)                                                                              \
    ({                                                                                                \
        uintptr_t __pc;                                                                               \
        __asm__ volatile(".option push\n.option norvc\nli a7, 0\nla %0, 1f\n1: " insn "\n.option pop" \
                         : "=&r"(__pc)::"a7", "t5", "t6", "memory");                                  \
        __pc;                                                                                         \
    })
#define RT_INSN16_AT(insn)                                                                \
    ({                                                                                    \
        uintptr_t __pc;                                                                   \
        __asm__ volatile(".option push\n.option rvc\nla %0, 1f\n1: " insn "\n.option pop" \
                         : "=&r"(__pc)::"t5", "t6", "memory");                            \
        __pc;                                                                             \
    })

static inline uint32_t rt_insn_bits(uintptr_t pc) {
    uint32_t low = *(const volatile uint16_t*)pc;
    uint32_t high = *(const volatile uint16_t*)(pc + 2);
    return (low & 3) == 3 ? low | high << 16 : low;
}

/* Trap vectors; tests that switch mtvec/stvec put these back. */
extern char rt_m_trap_entry[], rt_s_trap_entry[], rt_m_vector_table[], rt_s_vector_table[];

/* Checks: each prints "ok <name>" or "FAIL <name>: ..." and counts failures. */
void rt_check(const char* name, uint64_t expected, uint64_t got);
void rt_check_trap(const char* name, uint64_t cause, uint64_t epc, uint64_t tval);
void rt_check_no_trap(const char* name);
int rt_failures(void);

/* Platform. */
unsigned rt_hartid(void);
uintptr_t rt_boot_dtb(void);
_Noreturn void rt_exit(int status);
void rt_putc(char c);
uint64_t rt_mtime(void);
void rt_set_mtimecmp(unsigned hart, uint64_t value);
void rt_set_msip(unsigned hart, int value);
/* Spins until the given mip bits are all set or `ticks` of mtime pass; returns mip. */
uint64_t rt_wait_mip(uint64_t bits, uint64_t ticks);

/* Sleeps until an interrupt enabled in mie is pending, then takes it in M-mode: wfi runs with
 * mstatus.MIE = 0, so an interrupt arriving just before it cannot be lost, then MIE is set for
 * one instruction. Leaves MIE = 0. */
static inline void rt_wfi_take(void) {
    __asm__ volatile("csrci mstatus, 8\n wfi\n csrsi mstatus, 8\n csrci mstatus, 8" ::: "memory");
}

/* Secondary harts park in wfi until started; they then run secondary_main(hart) in M-mode. */
void rt_start_hart(unsigned hart);
void secondary_main(unsigned hart);

#define RT_CLINT_BASE 0x2000000ul
#define RT_TIMEBASE_HZ 10000000ul
#define RT_DRAM_BASE 0x80000000ul
extern char __image_end[];
