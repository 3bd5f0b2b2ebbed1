/* Entry of a bare-metal benchmark (M-mode, hart 0 only, no paging, interrupts off): stack, gp, FP
 * unit, trap vector, .bss and TLS, then bm_main(); other harts park. */
    .section .text.start, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    csrw mie, zero
    bnez a0, park
    la sp, __stack_top
    la t0, bm_trap_entry
    csrw mtvec, t0
    li t0, (1 << 13) /* mstatus.FS = Initial: the workloads and picolibc use FP registers */
    csrs mstatus, t0
    csrw fcsr, zero

    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  la tp, __tls_block
    la t0, __tdata_start
    la t1, __tdata_end
    mv t2, tp
3:  bgeu t0, t1, 4f
    lb t3, 0(t0)
    sb t3, 0(t2)
    addi t0, t0, 1
    addi t2, t2, 1
    j 3b
4:  call bm_main
park:
    csrw mie, zero
1:  wfi
    j 1b

    /* Any trap is a failure: report it from C on the current stack (mtvec needs 4-byte alignment). */
    .balign 4
bm_trap_entry:
    csrr a0, mcause
    csrr a1, mepc
    csrr a2, mtval
    andi sp, sp, -16
    call bm_trap
    j park
