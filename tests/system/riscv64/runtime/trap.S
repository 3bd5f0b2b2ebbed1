/* Trap entry and exit for M- and S-mode (direct and vectored), rt_run's switch to a lower
 * privilege and back, and the probe instructions whose addresses the tests check. */
#include "layout.h"

    .option norvc /* probe and vector-table entries must be exactly one 4-byte instruction */

/* The trap stack top lives in xscratch; swap it with sp, save every register into a
 * struct rt_frame, call the C handler, then restore (sp last) and return. */
.macro TRAP_COMMON p, handler, ret
    sd t0, RT_FRAME_VECTOR(sp)
    sd zero, 0(sp)
    sd x1, 8(sp)
    sd x3, 24(sp)
    sd x4, 32(sp)
    .irp r, 6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd x\r, \r*8(sp)
    .endr
    csrr t0, \p\()scratch
    sd t0, 16(sp)
    csrr t0, \p\()epc
    sd t0, RT_FRAME_EPC(sp)
    csrr t0, \p\()cause
    sd t0, RT_FRAME_CAUSE(sp)
    csrr t0, \p\()tval
    sd t0, RT_FRAME_TVAL(sp)
    csrr t0, \p\()status
    sd t0, RT_FRAME_STATUS(sp)
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    mv a0, sp
    call \handler
    ld t0, RT_FRAME_EPC(sp)
    csrw \p\()epc, t0
    addi t0, sp, RT_FRAME_SIZE
    csrw \p\()scratch, t0
    ld x1, 8(sp)
    ld x3, 24(sp)
    ld x4, 32(sp)
    .irp r, 5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld x\r, \r*8(sp)
    .endr
    ld sp, 16(sp)
    \ret
.endm

.macro TRAP_ENTRY p, vector
    csrrw sp, \p\()scratch, sp
    addi sp, sp, -RT_FRAME_SIZE
    sd t0, 40(sp)
    li t0, \vector
.endm

.macro VECTORS p
    .text
    .balign 256
    .globl rt_\p\()_vector_table
rt_\p\()_vector_table:
    j rt_\p\()_trap_entry
    .irp i, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    j rt_\p\()_vec_\i
    .endr
    .irp i, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
rt_\p\()_vec_\i:
    TRAP_ENTRY \p, \i
    j rt_\p\()_trap_common
    .endr

    .balign 4
    .globl rt_\p\()_trap_entry
rt_\p\()_trap_entry:
    TRAP_ENTRY \p, -1
rt_\p\()_trap_common:
.endm

    VECTORS m
    TRAP_COMMON m, rt_m_trap_c, mret
    VECTORS s
    TRAP_COMMON s, rt_s_trap_c, sret

/* long rt_run(int prv, long (*fn)(long), long arg) */
    .globl rt_run
rt_run:
    addi sp, sp, -112
    sd ra, 0(sp)
    .irp r, 0,1,2,3,4,5,6,7,8,9,10,11
    sd s\r, (\r+1)*8(sp)
    .endr
    csrr t0, mstatus
    sd t0, 104(sp)
    li t0, 3
    bne a0, t0, 1f
    mv a0, a2
    jalr a1
    j rt_run_done
1:  lui t0, %tprel_hi(rt_resume_sp)
    add t0, t0, tp, %tprel_add(rt_resume_sp)
    sd sp, %tprel_lo(rt_resume_sp)(t0)
    li t0, (3 << 11)
    csrc mstatus, t0
    slli t0, a0, 11
    csrs mstatus, t0
    la t0, rt_lower_entry
    csrw mepc, t0
    mv a0, a2
    mret
rt_lower_entry:
    jalr a1
    li a7, RT_RUN_MAGIC
    ecall
1:  j 1b

/* Called by the M trap handler on rt_run's closing ecall: abandons the trap frames and
 * returns from rt_run with a0. */
    .globl rt_resume
rt_resume:
    lui t0, %tprel_hi(rt_resume_sp)
    add t0, t0, tp, %tprel_add(rt_resume_sp)
    ld sp, %tprel_lo(rt_resume_sp)(t0)
    lui t0, %tprel_hi(rt_mscratch_top)
    add t0, t0, tp, %tprel_add(rt_mscratch_top)
    ld t1, %tprel_lo(rt_mscratch_top)(t0)
    csrw mscratch, t1
    lui t0, %tprel_hi(rt_sscratch_top)
    add t0, t0, tp, %tprel_add(rt_sscratch_top)
    ld t1, %tprel_lo(rt_sscratch_top)(t0)
    csrw sscratch, t1
rt_run_done:
    ld t0, 104(sp)
    andi t0, t0, (1 << 3)
    csrs mstatus, t0
    ld ra, 0(sp)
    .irp r, 0,1,2,3,4,5,6,7,8,9,10,11
    ld s\r, (\r+1)*8(sp)
    .endr
    addi sp, sp, 112
    ret

/* The S handler's way to end rt_run when the closing ecall was delegated to it. */
    .globl rt_forward_resume
rt_forward_resume:
    li a7, RT_RUN_MAGIC
    ecall
1:  j 1b

.macro PROBE name, insn:vararg
    .globl rt_\name, rt_\name\()_insn
rt_\name:
    mv t0, a0
rt_\name\()_insn:
    \insn
    ret
.endm
    PROBE ld, ld a0, 0(t0)
    PROBE lw, lw a0, 0(t0)
    PROBE lbu, lbu a0, 0(t0)
    PROBE sd, sd a1, 0(t0)
    PROBE sw, sw a1, 0(t0)

    .globl rt_exec, rt_exec_insn
rt_exec:
    addi sp, sp, -16
    sd ra, 8(sp)
    mv t0, a0
    li a0, -1
rt_exec_insn:
    jalr t0
    ld ra, 8(sp)
    addi sp, sp, 16
    ret
