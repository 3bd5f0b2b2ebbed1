/* fp_ops, second part: NaN-boxing details, loads and stores, accrual of fflags, fetestexcept after
 * plain C arithmetic in each rounding mode, and reserved rounding modes: static rm 5/6, or dynamic
 * with frm 5..7, raise SIGILL at the instruction without touching fflags, also for the exact
 * widening conversions; instructions without an rm field ignore frm. */
#define _GNU_SOURCE
#include <fenv.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void nan_boxing(void)
{
    uint64_t r1, r2, r3, r4;
    /* fmv.d.x of a pattern that is not a boxed single, then single-precision use of it. */
    __asm__ volatile("li t0, 1\n\tfmv.w.x ft0, t0\n\t"           /* ft0 = boxed 2^-149 */
                     "li t0, 0x3f800000\n\tfmv.d.x ft1, t0\n\t"  /* ft1 = 1.0 without its box */
                     "fadd.s ft2, ft0, ft1\n\tfmv.x.d %0, ft2\n\t"
                     "fmv.x.w %1, ft1\n\t"                       /* low half, sign-extended */
                     "fsgnjn.s ft2, ft1, ft1\n\tfmv.x.d %2, ft2\n\t"
                     "fcvt.d.s ft2, ft1\n\tfmv.x.d %3, ft2"
                     : "=&r"(r1), "=&r"(r2), "=&r"(r3), "=&r"(r4)
                     :
                     : "t0", "ft0", "ft1", "ft2");
    printf("unboxed 1.0: fadd.s=%016llx fmv.x.w=%016llx fneg.s=%016llx fcvt.d.s=%016llx\n",
           (unsigned long long)r1, (unsigned long long)r2, (unsigned long long)r3, (unsigned long long)r4);
    /* fmv.x.w sign-extends bit 31 whatever the upper half holds. */
    __asm__ volatile("li t0, 0x12345678\n\tslli t0, t0, 32\n\tli t1, 0x87654321\n\tslli t1, t1, 32\n\t"
                     "srli t1, t1, 32\n\tor t0, t0, t1\n\tfmv.d.x ft0, t0\n\tfmv.x.w %0, ft0\n\t"
                     "fmv.w.x ft1, t0\n\tfmv.x.d %1, ft1"
                     : "=&r"(r1), "=&r"(r2)
                     :
                     : "t0", "t1", "ft0", "ft1");
    printf("fmv.x.w(0x1234567887654321)=%016llx fmv.w.x(same)=%016llx\n", (unsigned long long)r1,
           (unsigned long long)r2);
}

void loads_stores(void)
{
    uint32_t words[4] = {0x3f800000, 0xdeadbeef, 0x7f800001, 0};
    uint64_t dwords[3] = {0x0123456789abcdef, 0, 0};
    uint64_t r1, r2, r3;
    /* flw boxes whatever it loads (even a signaling NaN, untouched); fsw stores the low half of an
     * unboxed register as it is; negative and positive offsets. */
    __asm__ volatile("flw ft0, 4(%3)\n\tfmv.x.d %0, ft0\n\t"
                     "addi t0, %3, 12\n\tflw ft1, -4(t0)\n\tfmv.x.d %1, ft1\n\t"
                     "li t1, 0x7654321\n\tslli t1, t1, 32\n\tori t1, t1, 0x5a5\n\tfmv.d.x ft2, t1\n\t"
                     "fsw ft2, 0(t0)\n\tfld ft0, 0(%4)\n\tfsd ft0, 16(%4)\n\tfsw ft1, -12(t0)\n\t"
                     "fld ft3, 16(%4)\n\tfmv.x.d %2, ft3"
                     : "=&r"(r1), "=&r"(r2), "=&r"(r3)
                     : "r"(words), "r"(dwords)
                     : "t0", "t1", "ft0", "ft1", "ft2", "ft3", "memory");
    printf("flw: %016llx %016llx fld/fsd: %016llx words: %08x %08x %08x %08x dwords[2]=%016llx\n",
           (unsigned long long)r1, (unsigned long long)r2, (unsigned long long)r3, words[0], words[1],
           words[2], words[3], (unsigned long long)dwords[2]);
}

void flag_accrual(void)
{
    unsigned f1, f2, f3, fcsr;
    /* Flags accumulate across instructions until cleared; fcvt to x0 still raises its flag. */
    __asm__ volatile("fsflags zero\n\tli t0, 1\n\tfcvt.d.l ft0, t0\n\tfcvt.d.l ft1, zero\n\t"
                     "fdiv.d ft2, ft0, ft1\n\tfrflags %0\n\t"                      /* DZ */
                     "li t0, 3\n\tfcvt.d.l ft1, t0\n\tfdiv.d ft2, ft0, ft1\n\tfrflags %1\n\t" /* DZ|NX */
                     "li t0, -1\n\tfmv.d.x ft1, t0\n\tfcvt.w.d zero, ft1\n\tfrflags %2\n\t"   /* |NV */
                     "li t0, 2\n\tfsrm t0\n\tfrcsr %3\n\tfscsr zero"
                     : "=&r"(f1), "=&r"(f2), "=&r"(f3), "=&r"(fcsr)
                     :
                     : "t0", "ft0", "ft1", "ft2");
    printf("accrued fflags: %02x %02x %02x fcsr=%02x\n", f1, f2, f3, fcsr);
}

/* fetestexcept after plain C arithmetic in every rounding mode fesetround knows. */
void c_arithmetic(void)
{
    static const int modes[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};
    volatile float one = 1.0f, three = 3.0f, tiny = 0x1p-149f, big = 0x1p127f;
    volatile double done = 1.0, dthree = 3.0, dzero = 0.0;
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        feclearexcept(FE_ALL_EXCEPT);
        volatile float q = one / three;
        int e1 = fetestexcept(FE_ALL_EXCEPT);
        feclearexcept(FE_ALL_EXCEPT);
        volatile float u = tiny * (one / three);
        int e2 = fetestexcept(FE_ALL_EXCEPT);
        feclearexcept(FE_ALL_EXCEPT);
        volatile float o = big * three;
        int e3 = fetestexcept(FE_ALL_EXCEPT);
        feclearexcept(FE_ALL_EXCEPT);
        volatile double z = done / dzero;
        volatile double d = done / dthree;
        int e4 = fetestexcept(FE_ALL_EXCEPT);
        feclearexcept(FE_ALL_EXCEPT);
        fesetround(FE_TONEAREST);
        uint32_t qb, ub, ob;
        uint64_t zb, db;
        float qv = q, uv = u, ov = o;
        double zv = z, dv = d;
        memcpy(&qb, &qv, 4);
        memcpy(&ub, &uv, 4);
        memcpy(&ob, &ov, 4);
        memcpy(&zb, &zv, 8);
        memcpy(&db, &dv, 8);
        printf("C mode %d: 1/3f=%08x/%02x tiny/3=%08x/%02x big*3=%08x/%02x 1/0,1/3=%016llx %016llx/%02x\n", m,
               qb, e1, ub, e2, ob, e3, (unsigned long long)zb, (unsigned long long)db, e4);
    }
}

/* ---- reserved rounding modes ---- */

static sigjmp_buf ill_env;
static volatile uintptr_t ill_pc;

static void on_sigill(int sig, siginfo_t *info, void *uc)
{
    (void)sig;
    (void)uc;
    ill_pc = (uintptr_t)info->si_addr;
    __asm__ volatile("fsrm zero"); /* glibc must not run with a reserved frm */
    siglongjmp(ill_env, 1);
}

static volatile uintptr_t insn_pc;

/* Runs `insn` with frm = `frm` and operands that make a division raise DZ (ft0 = 1.0, ft1 = 0.0,
 * ft4 = 1.0f); reports whether it trapped, at its own pc, and the fflags it left. */
#define TRY(desc, frm, insn)                                                                           \
    do {                                                                                               \
        unsigned fl = 0;                                                                               \
        ill_pc = 0;                                                                                    \
        if (sigsetjmp(ill_env, 1) == 0) {                                                              \
            __asm__ volatile("lla t1, 1f\n\tsd t1, 0(%0)\n\tli t0, 1\n\tfcvt.d.l ft0, t0\n\t"           \
                             "fcvt.s.l ft4, t0\n\tfcvt.d.l ft1, zero\n\tfsflags zero\n\t"              \
                             "li t0, " #frm "\n\tfsrm t0\n1:\t" insn "\n\tfsrm zero"                     \
                             :                                                                         \
                             : "r"(&insn_pc)                                                           \
                             : "t0", "t1", "ft0", "ft1", "ft2", "ft4", "memory");                      \
            __asm__ volatile("frflags %0" : "=r"(fl));                                                 \
            printf("%-32s frm=%d: no trap, fflags=%02x\n", desc, frm, fl);                             \
        } else {                                                                                       \
            __asm__ volatile("frflags %0" : "=r"(fl));                                                 \
            printf("%-32s frm=%d: SIGILL %s, fflags=%02x\n", desc, frm,                                \
                   ill_pc == insn_pc ? "at the instruction" : "elsewhere", fl);                        \
        }                                                                                              \
    } while (0)

void reserved_rounding_modes(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigill;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);

    TRY("fdiv.d dyn", 0, "fdiv.d ft2, ft0, ft1, dyn");
    TRY("fdiv.d dyn", 4, "fdiv.d ft2, ft0, ft1, dyn");
    TRY("fdiv.d dyn", 5, "fdiv.d ft2, ft0, ft1, dyn");
    TRY("fdiv.d dyn", 6, "fdiv.d ft2, ft0, ft1, dyn");
    TRY("fdiv.d dyn", 7, "fdiv.d ft2, ft0, ft1, dyn");
    TRY("fdiv.d rne (static)", 5, "fdiv.d ft2, ft0, ft1, rne");
    TRY("fdiv.s rmm (static)", 7, "fdiv.s ft2, ft4, ft4, rmm");
    TRY("fcvt.w.d dyn", 6, "fcvt.w.d t1, ft0, dyn");
    TRY("fcvt.s.d dyn", 5, "fcvt.s.d ft2, ft0, dyn");
    TRY("fcvt.d.s dyn (exact widening)", 7, ".insn r 0x53, 7, 0x21, ft2, ft4, x0");
    TRY("fcvt.d.w dyn (exact widening)", 5, ".insn r 0x53, 7, 0x69, ft2, t0, x0");
    TRY("fmadd.s dyn", 5, "fmadd.s ft2, ft4, ft4, ft4, dyn");
    TRY("fsqrt.d dyn", 5, "fsqrt.d ft2, ft0, dyn");
    TRY("fadd.s rm=5 (static)", 0, ".insn r 0x53, 5, 0x00, ft2, ft4, ft4");
    TRY("fadd.d rm=6 (static)", 0, ".insn r 0x53, 6, 0x01, ft2, ft0, ft1");
    TRY("fmadd.d rm=5 (static)", 0, ".insn r4 0x43, 5, 1, ft2, ft0, ft1, ft0");
    TRY("fcvt.d.s rm=6 (static)", 0, ".insn r 0x53, 6, 0x21, ft2, ft4, x0");
    TRY("fcvt.l.s rm=5 (static)", 0, ".insn r 0x53, 5, 0x60, t1, ft4, x2");
    /* No rm field: frm is irrelevant. */
    TRY("fsgnj.d", 5, "fsgnj.d ft2, ft0, ft1");
    TRY("fmin.s", 6, "fmin.s ft2, ft4, ft4");
    TRY("feq.d", 7, "feq.d t1, ft0, ft1");
    TRY("fclass.s", 5, "fclass.s t1, ft4");
    TRY("fmv.x.d", 5, "fmv.x.d t1, ft0");
    TRY("fmv.w.x", 5, "fmv.w.x ft2, t0");
    TRY("fsd/fld", 5, "addi sp, sp, -16\n\tfsd ft0, 0(sp)\n\tfld ft2, 0(sp)\n\taddi sp, sp, 16");

    signal(SIGILL, SIG_DFL);
}
