/* Boot code: entered at the ELF entry in M-mode on every hart (a0 = hartid, a1 = DTB).
 * Hart 0 clears .bss and runs main(); the other harts park in wfi until rt_start_hart. */
#include "layout.h"

    .section .text.start, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    csrw mie, zero
    li t0, RT_NHARTS
    bgeu a0, t0, park

    /* Per-hart stacks: sp, and the M and S trap stacks in mscratch/sscratch. */
    addi t0, a0, 1
    slli t1, t0, RT_STACK_SHIFT
    la sp, rt_stacks
    add sp, sp, t1
    slli t1, t0, RT_TRAP_STACK_SHIFT
    la t2, rt_m_trap_stacks
    add t2, t2, t1
    csrw mscratch, t2
    la t2, rt_s_trap_stacks
    add t2, t2, t1
    csrw sscratch, t2
    la t0, rt_m_trap_entry
    csrw mtvec, t0
    la t0, rt_s_trap_entry
    csrw stvec, t0
    li t0, (1 << 13) /* mstatus.FS = Initial: picolibc and the compiler may use FP registers */
    csrs mstatus, t0
    csrw fcsr, zero
    mv s0, a0
    mv s1, a1
    bnez a0, secondary

    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  mv a0, s0
    call rt_setup_tls
    mv tp, a0
    mv a0, s0
    mv a1, s1
    call rt_main
    j park

    /* Wait for rt_start_hart: it raises this hart's msip and then sets rt_hart_go[hart] (in
     * .data, so hart 0's .bss clearing cannot race with it). */
secondary:
    li t0, (1 << 3)
    csrw mie, t0
    la t1, rt_hart_go
    slli t2, s0, 3
    add t1, t1, t2
1:  ld t0, 0(t1)
    bnez t0, 2f
    wfi
    j 1b
2:  fence iorw, iorw
    mv a0, s0
    call rt_setup_tls
    mv tp, a0
    mv a0, s0
    call rt_secondary_entry
park:
    csrw mie, zero
1:  wfi
    j 1b

    .section .data
    .balign 8
    .globl rt_hart_go
rt_hart_go:
    .fill RT_NHARTS, 8, 0

    .section .bss.stacks, "aw", @nobits
    .balign 4096
rt_stacks:
    .space RT_NHARTS << RT_STACK_SHIFT
rt_m_trap_stacks:
    .space RT_NHARTS << RT_TRAP_STACK_SHIFT
rt_s_trap_stacks:
    .space RT_NHARTS << RT_TRAP_STACK_SHIFT
    .globl rt_m_trap_stacks, rt_s_trap_stacks
