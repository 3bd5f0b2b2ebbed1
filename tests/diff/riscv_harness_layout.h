/* Memory layout shared by the random-instruction harness (C and assembly) and its generator.
 * Plain #defines only: this header is included from C, C++ and preprocessed assembly. */
#ifndef MIMIC_TESTS_DIFF_RISCV_HARNESS_LAYOUT_H
#define MIMIC_TESTS_DIFF_RISCV_HARNESS_LAYOUT_H

/* Fixed guest addresses: auipc/jal results and sp-derived values end up in registers, so both
 * emulators must place the code and the state at the same addresses for outputs to compare. */
#define RH_CODE_ADDR 0x10000000
#define RH_CODE_SIZE 0x10000
#define RH_STATE_ADDR 0x10100000
#define RH_STATE_SIZE 0x1000

/* While the block runs, sp points at the state; random memory instructions only touch
 * [sp, sp + RH_SCRATCH_SIZE). Everything the epilogue needs is reachable from sp alone. */
#define RH_SCRATCH_SIZE 512
#define RH_OFF_X 512 /* x0..x31, 8 bytes each (x0 and x2 slots unused) */
#define RH_OFF_F 768 /* f0..f31, 8 bytes each */
#define RH_OFF_FCSR 1024
#define RH_OFF_HOST_SP 1032 /* the harness's own sp while the block runs */
#define RH_OFF_RETURN 1040  /* where the epilogue jumps back to */
#define RH_OFF_GP 1048      /* restored by the signal entry before any C code runs */
#define RH_OFF_TP 1056
#define RH_STATE_USED 1064

#endif
