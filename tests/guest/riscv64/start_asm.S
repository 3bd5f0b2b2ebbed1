/* start_asm: a libc-free program, the first thing an emulator can run.
 * Checks ELF entry, raw ecall for write(1, ...) and exit_group(7), and a few basic integer ops
 * whose results pick the message: if add/shift/branch are wrong, the text or the status differs. */
    .section .rodata
msg:
    .ascii "start_asm: ok\n"
msg_end:
    .equ msg_len, msg_end - msg
bad:
    .ascii "start_asm: arithmetic wrong\n"
bad_end:
    .equ bad_len, bad_end - bad

    .text
    .globl _start
_start:
    li      t0, 40
    addi    t0, t0, 2          /* 42 */
    slli    t1, t0, 3          /* 336 */
    li      t2, 336
    bne     t1, t2, fail
    li      a7, 64             /* write */
    li      a0, 1
    la      a1, msg
    li      a2, msg_len
    ecall
    li      a7, 94             /* exit_group */
    li      a0, 7
    ecall
fail:
    li      a7, 64
    li      a0, 1
    la      a1, bad
    li      a2, bad_len
    ecall
    li      a7, 94
    li      a0, 1
    ecall
