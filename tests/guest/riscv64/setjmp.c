/* setjmp: non-local jumps with setjmp/longjmp.
 * Checks that longjmp restores the stack pointer across 100 frames of recursion, that it restores
 * the callee-saved registers (s0-s11, fs0-fs11, saved in the jmp_buf) after they were overwritten
 * with garbage (checked in assembly), that setjmp returns the value passed (and 1 for
 * longjmp(env, 0)), that volatile locals keep values changed after setjmp, and that nested
 * jmp_bufs unwind in the right order. */
#include <setjmp.h>
#include <stdio.h>

#define NOINLINE __attribute__((noinline))

static jmp_buf env_a;
jmp_buf env_b; /* extern: the assembly below names it */
static int depth_reached;

NOINLINE static int recurse(int depth, int target)
{
    volatile char pad[64]; /* make every frame use stack */
    pad[0] = (char)depth;
    if (target < 0)
        return 0;
    if (depth >= target) {
        depth_reached = depth;
        longjmp(env_a, depth);
    }
    return recurse(depth + 1, target) + pad[0]; /* not a tail call */
}

NOINLINE static void jump_zero(void) { longjmp(env_a, 0); }

/* Overwrites every callee-saved register, as a deep callee could, then jumps out without
 * running an epilogue: only longjmp's restore can bring the caller's values back. */
NOINLINE void clobber_and_jump(void)
{
    __asm__ volatile("li s1, -1\n li s2, -2\n li s3, -3\n li s4, -4\n li s5, -5\n li s6, -6\n"
                     "li s7, -7\n li s8, -8\n li s9, -9\n li s10, -10\n li s11, -11\n"
                     "fcvt.d.l fs0, s1\n fmv.d fs1, fs0\n fmv.d fs2, fs0\n fmv.d fs3, fs0\n"
                     "fmv.d fs4, fs0\n fmv.d fs5, fs0\n fmv.d fs6, fs0\n fmv.d fs7, fs0\n"
                     "fmv.d fs8, fs0\n fmv.d fs9, fs0\n fmv.d fs10, fs0\n fmv.d fs11, fs0\n"
                     ::: "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
                     "fs0", "fs1", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9",
                     "fs10", "fs11");
    longjmp(env_b, 5);
}

/* long check_callee_saved(void): puts 100+n in s<n> and 200+n in fs<n>, calls setjmp(env_b),
 * lets clobber_and_jump trash them and longjmp back, then returns the jump value plus the sum
 * of all 24 registers: 5 + 1266 + 2466 = 3737 when every one was restored. Written in assembly
 * because a C compiler spills everything around setjmp and would never test the restore. */
long check_callee_saved(void);
__asm__(".text\n"
        ".globl check_callee_saved\n"
        "check_callee_saved:\n"
        "  addi sp, sp, -208\n"
        "  sd ra, 0(sp)\n  sd s0, 8(sp)\n  sd s1, 16(sp)\n  sd s2, 24(sp)\n  sd s3, 32(sp)\n"
        "  sd s4, 40(sp)\n  sd s5, 48(sp)\n  sd s6, 56(sp)\n  sd s7, 64(sp)\n  sd s8, 72(sp)\n"
        "  sd s9, 80(sp)\n  sd s10, 88(sp)\n  sd s11, 96(sp)\n"
        "  fsd fs0, 104(sp)\n  fsd fs1, 112(sp)\n  fsd fs2, 120(sp)\n  fsd fs3, 128(sp)\n"
        "  fsd fs4, 136(sp)\n  fsd fs5, 144(sp)\n  fsd fs6, 152(sp)\n  fsd fs7, 160(sp)\n"
        "  fsd fs8, 168(sp)\n  fsd fs9, 176(sp)\n  fsd fs10, 184(sp)\n  fsd fs11, 192(sp)\n"
        "  li s0, 100\n  li s1, 101\n  li s2, 102\n  li s3, 103\n  li s4, 104\n  li s5, 105\n"
        "  li s6, 106\n  li s7, 107\n  li s8, 108\n  li s9, 109\n  li s10, 110\n  li s11, 111\n"
        "  li t0, 200\n  fcvt.d.l fs0, t0\n  li t0, 201\n  fcvt.d.l fs1, t0\n"
        "  li t0, 202\n  fcvt.d.l fs2, t0\n  li t0, 203\n  fcvt.d.l fs3, t0\n"
        "  li t0, 204\n  fcvt.d.l fs4, t0\n  li t0, 205\n  fcvt.d.l fs5, t0\n"
        "  li t0, 206\n  fcvt.d.l fs6, t0\n  li t0, 207\n  fcvt.d.l fs7, t0\n"
        "  li t0, 208\n  fcvt.d.l fs8, t0\n  li t0, 209\n  fcvt.d.l fs9, t0\n"
        "  li t0, 210\n  fcvt.d.l fs10, t0\n  li t0, 211\n  fcvt.d.l fs11, t0\n"
        "  la a0, env_b\n"
        "  call _setjmp\n"
        "  bnez a0, 1f\n"
        "  call clobber_and_jump\n"
        "1:\n"
        "  add a0, a0, s0\n  add a0, a0, s1\n  add a0, a0, s2\n  add a0, a0, s3\n"
        "  add a0, a0, s4\n  add a0, a0, s5\n  add a0, a0, s6\n  add a0, a0, s7\n"
        "  add a0, a0, s8\n  add a0, a0, s9\n  add a0, a0, s10\n  add a0, a0, s11\n"
        "  fadd.d ft0, fs0, fs1\n  fadd.d ft0, ft0, fs2\n  fadd.d ft0, ft0, fs3\n"
        "  fadd.d ft0, ft0, fs4\n  fadd.d ft0, ft0, fs5\n  fadd.d ft0, ft0, fs6\n"
        "  fadd.d ft0, ft0, fs7\n  fadd.d ft0, ft0, fs8\n  fadd.d ft0, ft0, fs9\n"
        "  fadd.d ft0, ft0, fs10\n  fadd.d ft0, ft0, fs11\n"
        "  fcvt.l.d t0, ft0, rtz\n  add a0, a0, t0\n"
        "  ld ra, 0(sp)\n  ld s0, 8(sp)\n  ld s1, 16(sp)\n  ld s2, 24(sp)\n  ld s3, 32(sp)\n"
        "  ld s4, 40(sp)\n  ld s5, 48(sp)\n  ld s6, 56(sp)\n  ld s7, 64(sp)\n  ld s8, 72(sp)\n"
        "  ld s9, 80(sp)\n  ld s10, 88(sp)\n  ld s11, 96(sp)\n"
        "  fld fs0, 104(sp)\n  fld fs1, 112(sp)\n  fld fs2, 120(sp)\n  fld fs3, 128(sp)\n"
        "  fld fs4, 136(sp)\n  fld fs5, 144(sp)\n  fld fs6, 152(sp)\n  fld fs7, 160(sp)\n"
        "  fld fs8, 168(sp)\n  fld fs9, 176(sp)\n  fld fs10, 184(sp)\n  fld fs11, 192(sp)\n"
        "  addi sp, sp, 208\n"
        "  ret\n");

static long one_round(int i)
{
    long keep = i * 1000 + 17;
    double fkeep = i * 1.5;
    if (setjmp(env_b) == 0)
        longjmp(env_b, 1);
    return keep + (long)(fkeep * 2);
}

int main(void)
{
    volatile int counter = 0;
    int rc = setjmp(env_a);
    counter++;
    printf("setjmp returned %d (counter %d)\n", rc, counter);
    if (rc == 0)
        recurse(0, 100);
    else if (rc == 100) {
        printf("came back from depth %d\n", depth_reached);
        jump_zero();
    } else if (rc == 1 && counter == 3) {
        printf("longjmp(env, 0) made setjmp return 1\n");
    }

    printf("callee-saved registers: %ld (expect 3737)\n", check_callee_saved());

    volatile int stage = 0;
    if (setjmp(env_a) == 0) {
        stage = 1;
        if (setjmp(env_b) == 0) {
            stage = 2;
            longjmp(env_b, 7);
        }
        stage = 3;
        longjmp(env_a, 8);
    }
    printf("nested stage %d\n", stage);

    long acc = 0;
    for (int i = 0; i < 5; i++)
        acc += one_round(i);
    printf("acc %ld (expect 10115)\n", acc);
    return 0;
}
