// The one way from C++ into generated code (see engine/backend.h).
#include "engine/backend.h"

#if !defined(__x86_64__)
#error "enter_generated.cpp is x86-64 assembly"
#endif

// Saves the six callee-saved registers (and keeps the stack 16-byte aligned at the call), calls
// code(env), restores them and returns its result.
__asm__(R"(
    .text
    .globl mimic_enter_generated
    .hidden mimic_enter_generated
    .type mimic_enter_generated, @function
    .p2align 4
mimic_enter_generated:
    .cfi_startproc
    push %rbp
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %rbp, 0
    push %rbx
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %rbx, 0
    push %r12
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %r12, 0
    push %r13
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %r13, 0
    push %r14
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %r14, 0
    push %r15
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %r15, 0
    sub $8, %rsp
    .cfi_adjust_cfa_offset 8
    call *%rsi
    add $8, %rsp
    .cfi_adjust_cfa_offset -8
    pop %r15
    .cfi_adjust_cfa_offset -8
    pop %r14
    .cfi_adjust_cfa_offset -8
    pop %r13
    .cfi_adjust_cfa_offset -8
    pop %r12
    .cfi_adjust_cfa_offset -8
    pop %rbx
    .cfi_adjust_cfa_offset -8
    pop %rbp
    .cfi_adjust_cfa_offset -8
    ret
    .cfi_endproc
    .size mimic_enter_generated, .-mimic_enter_generated
)");
