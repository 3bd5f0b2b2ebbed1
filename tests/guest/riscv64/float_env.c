/* float_env: the floating-point environment (the fcsr register: frm and fflags).
 * Checks that fesetround changes the result of arithmetic, sqrt, fma, conversions and even
 * printf's decimal rounding; that fetestexcept reports exactly the IEEE flags each operation
 * raises (inexact, underflow only when tiny AND inexact, overflow, divide-by-zero, invalid);
 * RISC-V's saturating float-to-int conversions (NaN -> max, out of range -> clamp, flag NV);
 * and an instruction's static rounding mode overriding the dynamic one.
 * Arithmetic happens in noipa functions so the compiler cannot move or fold it across
 * fesetround calls. */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#define NOIPA __attribute__((noipa))

NOIPA static double div_d(double a, double b) { return a / b; }
NOIPA static float div_f(float a, float b) { return a / b; }
NOIPA static double mul_d(double a, double b) { return a * b; }
NOIPA static double add_d(double a, double b) { return a + b; }
NOIPA static double sqrt_d(double a) { return sqrt(a); }
NOIPA static double fma_d(double a, double b, double c) { return fma(a, b, c); }
NOIPA static long lrint_d(double a) { return lrint(a); }
NOIPA static double rint_d(double a) { return rint(a); }
NOIPA static float to_float(double a) { return (float)a; }
NOIPA static double from_i64(int64_t a) { return (double)a; }

NOIPA static int32_t fcvt_w_d(double a)
{
    int32_t r;
    __asm__ volatile("fcvt.w.d %0, %1, rtz" : "=r"(r) : "f"(a));
    return r;
}

NOIPA static uint32_t fcvt_wu_d(double a)
{
    uint32_t r;
    __asm__ volatile("fcvt.wu.d %0, %1, rtz" : "=r"(r) : "f"(a));
    return r;
}

NOIPA static int64_t fcvt_l_d(double a)
{
    int64_t r;
    __asm__ volatile("fcvt.l.d %0, %1, rtz" : "=r"(r) : "f"(a));
    return r;
}

NOIPA static int32_t fcvt_w_s(float a)
{
    int32_t r;
    __asm__ volatile("fcvt.w.s %0, %1, rtz" : "=r"(r) : "f"(a));
    return r;
}

/* fadd.d with a static rounding mode in the instruction, whatever frm says. */
NOIPA static double add_rup(double a, double b)
{
    double r;
    __asm__ volatile("fadd.d %0, %1, %2, rup" : "=f"(r) : "f"(a), "f"(b));
    return r;
}

NOIPA static double add_rdn(double a, double b)
{
    double r;
    __asm__ volatile("fadd.d %0, %1, %2, rdn" : "=f"(r) : "f"(a), "f"(b));
    return r;
}

static unsigned read_frm(void)
{
    unsigned r;
    __asm__ volatile("frrm %0" : "=r"(r));
    return r;
}

static unsigned read_fflags(void)
{
    unsigned r;
    __asm__ volatile("frflags %0" : "=r"(r));
    return r;
}

static void print_flags(const char *what)
{
    int f = fetestexcept(FE_ALL_EXCEPT);
    printf("%-28s:%s%s%s%s%s%s (fflags=%02x)\n", what, f & FE_INEXACT ? " NX" : "",
           f & FE_UNDERFLOW ? " UF" : "", f & FE_OVERFLOW ? " OF" : "",
           f & FE_DIVBYZERO ? " DZ" : "", f & FE_INVALID ? " NV" : "", f ? "" : " none",
           read_fflags());
    feclearexcept(FE_ALL_EXCEPT);
}

static void rounding_modes(void)
{
    static const struct {
        int mode;
        const char *name;
    } modes[] = {{FE_TONEAREST, "nearest"},
                 {FE_UPWARD, "upward"},
                 {FE_DOWNWARD, "downward"},
                 {FE_TOWARDZERO, "towardzero"}};
    for (unsigned i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        int rc = fesetround(modes[i].mode);
        printf("== %s: fesetround=%d fegetround_ok=%d frm=%u\n", modes[i].name, rc,
               fegetround() == modes[i].mode, read_frm());
        printf("  1/3=%a -1/3=%a\n", div_d(1, 3), div_d(-1, 3));
        printf("  1f/3f=%a 2f/3f=%a\n", (double)div_f(1, 3), (double)div_f(2, 3));
        printf("  sqrt(2)=%a sqrt(3)=%a\n", sqrt_d(2), sqrt_d(3));
        printf("  fma(1/3,3,-1)=%a\n", fma_d(div_d(1, 3), 3, -1));
        printf("  1+2^-53=%a 1-2^-54=%a\n", add_d(1, 0x1p-53), add_d(1, -0x1p-54));
        printf("  DBL_MAX*2=%g -DBL_MAX*2=%g\n", mul_d(DBL_MAX, 2), mul_d(-DBL_MAX, 2));
        printf("  lrint: %ld %ld %ld %ld rint(-0.5)=%g\n", lrint_d(2.5), lrint_d(-2.5),
               lrint_d(2.4), lrint_d(-2.6), rint_d(-0.5));
        printf("  (float)0.1=%a (double)(2^53+1)=%a\n", (double)to_float(0.1),
               from_i64((1LL << 53) + 1));
        /* glibc's printf rounds decimal output in the current mode too. */
        printf("  printf %%.1f of 0.25 0.35 -0.25: %.1f %.1f %.1f\n", 0.25, 0.35, -0.25);
        printf("  static rup/rdn: %a %a\n", add_rup(1, 0x1p-60), add_rdn(1, -0x1p-60));
    }
    fesetround(FE_TONEAREST);
}

static void exception_flags(void)
{
    feclearexcept(FE_ALL_EXCEPT);
    print_flags("nothing");
    add_d(1, 1);
    print_flags("1+1 (exact)");
    div_d(1, 3);
    print_flags("1/3");
    div_d(1, 0);
    print_flags("1/0");
    div_d(0, 0);
    print_flags("0/0");
    sqrt_d(-1);
    print_flags("sqrt(-1)");
    add_d(INFINITY, -INFINITY);
    print_flags("inf-inf");
    mul_d(DBL_MAX, 2);
    print_flags("DBL_MAX*2");
    mul_d(DBL_MIN, 0.5);
    print_flags("DBL_MIN*0.5 (exact tiny)");
    div_d(DBL_MIN, 3);
    print_flags("DBL_MIN/3 (inexact tiny)");
    to_float(1e300);
    print_flags("(float)1e300");
    to_float(0.1);
    print_flags("(float)0.1");
    div_d(NAN, 1);
    print_flags("qNaN/1");
    feraiseexcept(FE_OVERFLOW | FE_DIVBYZERO);
    print_flags("feraiseexcept(OF|DZ)");
}

static void conversions(void)
{
    static const double in[] = {1.9, -1.9, 3e9, -3e9, 1e19, -1e19, INFINITY, -INFINITY, NAN, -0.0};
    for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
        feclearexcept(FE_ALL_EXCEPT);
        int32_t w = fcvt_w_d(in[i]);
        int fw = fetestexcept(FE_ALL_EXCEPT);
        feclearexcept(FE_ALL_EXCEPT);
        uint32_t wu = fcvt_wu_d(in[i]);
        int fwu = fetestexcept(FE_ALL_EXCEPT);
        feclearexcept(FE_ALL_EXCEPT);
        int64_t l = fcvt_l_d(in[i]);
        int fl = fetestexcept(FE_ALL_EXCEPT);
        printf("fcvt %-6g: w=%d%s wu=%u%s l=%lld%s\n", in[i], w,
               fw & FE_INVALID ? "(NV)" : fw & FE_INEXACT ? "(NX)" : "", wu,
               fwu & FE_INVALID ? "(NV)" : fwu & FE_INEXACT ? "(NX)" : "", (long long)l,
               fl & FE_INVALID ? "(NV)" : fl & FE_INEXACT ? "(NX)" : "");
    }
    printf("fcvt.w.s(nanf)=%d fcvt.w.s(-1e10f)=%d\n", fcvt_w_s(NAN), fcvt_w_s(-1e10f));
    feclearexcept(FE_ALL_EXCEPT);
}

int main(void)
{
    rounding_modes();
    exception_flags();
    conversions();
    return 0;
}
