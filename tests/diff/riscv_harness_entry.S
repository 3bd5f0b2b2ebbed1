/* Entry/exit glue of the random-instruction harness: the trampoline that hands every register to a
 * generated block, the prologue/epilogue copied around that block, and the signal entry. */
#include "riscv_harness_layout.h"

    .option norvc
    .option norelax
    .text

/* void riscv_harness_enter(void *code, void *state)
 * Saves everything the C caller may rely on (including gp/tp, which random code may overwrite),
 * then runs code with sp = state. The epilogue comes back to .Lreturn with sp restored. */
    .globl riscv_harness_enter
    .type riscv_harness_enter, @function
riscv_harness_enter:
    addi sp, sp, -224
    sd ra, 0(sp)
    sd gp, 8(sp)
    sd tp, 16(sp)
    sd s0, 24(sp)
    sd s1, 32(sp)
    sd s2, 40(sp)
    sd s3, 48(sp)
    sd s4, 56(sp)
    sd s5, 64(sp)
    sd s6, 72(sp)
    sd s7, 80(sp)
    sd s8, 88(sp)
    sd s9, 96(sp)
    sd s10, 104(sp)
    sd s11, 112(sp)
    fsd fs0, 120(sp)
    fsd fs1, 128(sp)
    fsd fs2, 136(sp)
    fsd fs3, 144(sp)
    fsd fs4, 152(sp)
    fsd fs5, 160(sp)
    fsd fs6, 168(sp)
    fsd fs7, 176(sp)
    fsd fs8, 184(sp)
    fsd fs9, 192(sp)
    fsd fs10, 200(sp)
    fsd fs11, 208(sp)
    sd sp, RH_OFF_HOST_SP(a1)
    lla t0, .Lreturn
    sd t0, RH_OFF_RETURN(a1)
    sd gp, RH_OFF_GP(a1)
    sd tp, RH_OFF_TP(a1)
    mv sp, a1
    jr a0
.Lreturn:
    fscsr zero
    ld ra, 0(sp)
    ld gp, 8(sp)
    ld tp, 16(sp)
    ld s0, 24(sp)
    ld s1, 32(sp)
    ld s2, 40(sp)
    ld s3, 48(sp)
    ld s4, 56(sp)
    ld s5, 64(sp)
    ld s6, 72(sp)
    ld s7, 80(sp)
    ld s8, 88(sp)
    ld s9, 96(sp)
    ld s10, 104(sp)
    ld s11, 112(sp)
    fld fs0, 120(sp)
    fld fs1, 128(sp)
    fld fs2, 136(sp)
    fld fs3, 144(sp)
    fld fs4, 152(sp)
    fld fs5, 160(sp)
    fld fs6, 168(sp)
    fld fs7, 176(sp)
    fld fs8, 184(sp)
    fld fs9, 192(sp)
    fld fs10, 200(sp)
    fld fs11, 208(sp)
    addi sp, sp, 224
    ret
    .size riscv_harness_enter, . - riscv_harness_enter

/* Copied in front of the random block: loads the whole architectural state from sp. Position
 * independent (sp-relative only), so it runs wherever the harness copies it. */
    .globl riscv_harness_prologue, riscv_harness_prologue_end
riscv_harness_prologue:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fld f\n, (RH_OFF_F + 8 * \n)(sp)
    .endr
    ld t0, RH_OFF_FCSR(sp)
    fscsr t0
    .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld x\n, (RH_OFF_X + 8 * \n)(sp)
    .endr
riscv_harness_prologue_end:

/* Copied after the random block (and is the target of its forward jumps past the end): stores
 * the state back, then returns to riscv_harness_enter through the saved host sp/return address. */
    .globl riscv_harness_epilogue, riscv_harness_epilogue_end
riscv_harness_epilogue:
    .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd x\n, (RH_OFF_X + 8 * \n)(sp)
    .endr
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fsd f\n, (RH_OFF_F + 8 * \n)(sp)
    .endr
    frcsr t0
    sd t0, RH_OFF_FCSR(sp)
    ld t0, RH_OFF_RETURN(sp)
    ld sp, RH_OFF_HOST_SP(sp)
    jr t0
riscv_harness_epilogue_end:

/* Signal handler entry (runs on the alternate stack): the random block may have clobbered gp and
 * tp, which compiled C code relies on, so reload them before calling into C. */
    .globl riscv_harness_signal_entry
    .type riscv_harness_signal_entry, @function
riscv_harness_signal_entry:
    li t0, RH_STATE_ADDR
    ld gp, RH_OFF_GP(t0)
    ld tp, RH_OFF_TP(t0)
    tail riscv_harness_on_signal
    .size riscv_harness_signal_entry, . - riscv_harness_signal_entry

    .section .note.GNU-stack, "", @progbits
