/* float_math: single and double precision arithmetic seen through printf.
 * Checks + - * / sqrt, fused multiply-add (fmadd/fmsub/fnmadd/fnmsub), conversions between
 * int, float and double (including the large unsigned ones), libm rounding functions, RISC-V
 * specific results (canonical NaN is positive; fmin(-0, +0) is -0), 128-bit long double (done
 * in software by libgcc), and printf's %f %e %g %a on ordinary, huge, tiny, subnormal, signed
 * zero, infinite and NaN values. Inputs go through volatile so the compiler cannot fold them. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static volatile double vd[] = {1.0, 3.0, 2.0, -0.0, 0.0, 1e300, 1e-300, 0.1, 0.2, 0.3};
static volatile float vf[] = {1.0f, 3.0f, 2.0f, 0.1f, 16777217.0f, 1e30f};

static void arithmetic(void)
{
    double one = vd[0], three = vd[1], two = vd[2];
    printf("1/3 = %.17g %a\n", one / three, one / three);
    printf("0.1+0.2 = %.17g (== 0.3: %d)\n", vd[7] + vd[8], vd[7] + vd[8] == vd[9]);
    printf("sqrt(2) = %.17g %a\n", sqrt(two), sqrt(two));
    printf("1e300*1e300 = %g, 1e-300*1e-300 = %g\n", vd[5] * vd[5], vd[6] * vd[6]);
    printf("-0.0 + 0.0 = %g, -0.0 * 2 = %g\n", vd[3] + vd[4], vd[3] * two);
    float f1 = vf[0], f3 = vf[1];
    printf("1f/3f = %.9g %a\n", (double)(f1 / f3), (double)(f1 / f3));
    printf("sqrtf(2) = %.9g %a\n", (double)sqrtf(vf[2]), (double)sqrtf(vf[2]));
    printf("0.1f*3 = %.9g\n", (double)(vf[3] * f3));
    printf("float overflow: %g\n", (double)(vf[5] * vf[5]));

    /* a*b rounds to exactly 1, so only a fused operation sees the 2^-60 residue. */
    volatile double a = 1.0 + 0x1p-30, b = 1.0 - 0x1p-30, c = 1.0;
    volatile double prod = a * b; /* volatile: keeps GCC from contracting into fmsub */
    printf("a*b-c unfused = %a\n", prod - c);
    printf("fma(a,b,-c) = %a\n", fma(a, b, -c));
    printf("fma(-a,b,c) = %a\n", fma(-a, b, c));
    printf("-fma(a,b,c) = %a\n", -fma(a, b, c));
    printf("fma(-a,b,-c) = %a\n", fma(-a, b, -c));
    volatile float fa = 1.0f + 0x1p-13f, fb = 1.0f - 0x1p-13f;
    printf("fmaf(a,b,-1) = %a\n", (double)fmaf(fa, fb, -1.0f));
}

static void special_values(void)
{
    double zero = vd[4], nzero = vd[3];
    double nan_v = zero / zero;
    double inf = 1.0 / zero;
    /* RISC-V produces the canonical NaN 0x7ff8000000000000: positive, unlike x86. */
    union { double d; uint64_t u; } bits = {.d = nan_v};
    printf("0/0 = %f bits=%016llx signbit=%d\n", nan_v, (unsigned long long)bits.u,
           signbit(nan_v) != 0);
    printf("sqrt(-1) signbit=%d isnan=%d\n", signbit(sqrt(-vd[0])) != 0, isnan(sqrt(-vd[0])));
    printf("1/0 = %f, -1/0 = %f, 1/-0 = %f\n", inf, -inf, 1.0 / nzero);
    printf("inf-inf isnan=%d, inf*0 isnan=%d\n", isnan(inf - inf), isnan(inf * zero));
    printf("nan==nan %d, nan<1 %d, nan!=nan %d\n", nan_v == nan_v, nan_v < 1.0, nan_v != nan_v);
    printf("fmin(-0,+0) signbit=%d fmax(-0,+0) signbit=%d\n", signbit(fmin(nzero, zero)) != 0,
           signbit(fmax(nzero, zero)) != 0);
    printf("fmax(nan,1)=%g fmin(2,nan)=%g\n", fmax(nan_v, 1.0), fmin(2.0, nan_v));
    printf("fpclassify: %d %d %d %d %d (nan inf zero subnormal normal = %d %d %d %d %d)\n",
           fpclassify(nan_v), fpclassify(inf), fpclassify(nzero), fpclassify(DBL_MIN / vd[2]),
           fpclassify(vd[0]), FP_NAN, FP_INFINITE, FP_ZERO, FP_SUBNORMAL, FP_NORMAL);
    printf("copysign(3,-0)=%g fabs(-2)=%g\n", copysign(vd[1], nzero), fabs(-vd[2]));
}

static void conversions(void)
{
    volatile double d1 = 3.7, d2 = -3.7, d3 = 3e9, d4 = -1e18, d5 = 0.5, d6 = 1.5, d7 = 2.5;
    printf("(int)3.7=%d (int)-3.7=%d (unsigned)3e9=%u (long)-1e18=%ld\n", (int)d1, (int)d2,
           (unsigned)d3, (long)d4);
    volatile int64_t i64max = INT64_MAX, i64min = INT64_MIN;
    volatile uint64_t u64max = UINT64_MAX, u64big = 0x8000000000000801ULL;
    volatile int32_t i32 = -123456789;
    printf("(double)INT64_MAX=%.17g (double)INT64_MIN=%.17g\n", (double)i64max, (double)i64min);
    printf("(double)UINT64_MAX=%.17g (double)0x8000000000000801=%a\n", (double)u64max,
           (double)u64big);
    printf("(float)UINT64_MAX=%.9g (float)-123456789=%.9g\n", (double)(float)u64max,
           (double)(float)i32);
    volatile double big = 1e20, tiny = 1e-50;
    printf("(float)1e20=%.9g (float)1e-50=%g (float)16777217=%.9g\n", (double)(float)big,
           (double)(float)tiny, (double)vf[4]);
    volatile uint64_t u = (uint64_t)(double)u64big;
    printf("(uint64)(double)0x8000000000000801=%llx\n", (unsigned long long)u);
    printf("round: %g %g %g %g %g\n", round(d5), round(d6), round(d7), round(-d5), round(-d7));
    printf("rint: %g %g %g %g\n", rint(d5), rint(d6), rint(d7), rint(-d7));
    printf("floor/ceil/trunc of -3.7: %g %g %g\n", floor(d2), ceil(d2), trunc(d2));
    printf("lround(2.5)=%ld lrint(2.5)=%ld llround(-2.5)=%lld\n", lround(d7), lrint(d7),
           llround(-d7));
    printf("floorf(-0.5)=%g ceilf(-0.5)=%g\n", (double)floorf((float)-d5),
           (double)ceilf((float)-d5));
    printf("frexp(48): ");
    int e;
    double m = frexp(48.0 * vd[0], &e);
    printf("%g * 2^%d, ldexp(0.75,7)=%g\n", m, e, ldexp(0.75 * vd[0], 7));
}

static void formatting(void)
{
    double third = vd[0] / vd[1];
    printf("%%f: %f %.0f %.10f %10.3f|%-10.3f|\n", third, third, third, -third, third);
    printf("%%e: %e %.0e %.3E %e\n", third, vd[5], -third, vd[6]);
    printf("%%g: %g %g %g %g %g %g\n", 100000.0 * vd[0], 1000000.0 * vd[0], 0.0001 * vd[0],
           0.00001 * vd[0], third, 123456789.0 * vd[0]);
    printf("%%a: %a %a %a %A\n", vd[0], third, -vd[7], vd[5]);
    printf("%%.0f ties: %.0f %.0f %.0f %.0f\n", 0.5 * vd[0], 1.5 * vd[0], 2.5 * vd[0],
           -0.5 * vd[0]);
    printf("%%.2f: %.2f %.2f %.2f\n", 0.125 * vd[0], 0.375 * vd[0], 2.675 * vd[0]);
    printf("subnormal: %g %a %e\n", DBL_TRUE_MIN * vd[0], DBL_TRUE_MIN * vd[0], DBL_MIN * vd[0]);
    printf("limits: %.17g %g %a\n", DBL_MAX * vd[0], (double)FLT_MAX, (double)FLT_MIN);
    printf("zeros: %f %f %e %g %a\n", vd[4], vd[3], vd[3], vd[3], vd[3]);
    printf("big: %.0f\n", 1e22 * vd[0]);
    printf("pi: %.30f\n", M_PI * vd[0]);
}

static void long_double(void)
{
    /* long double is IEEE binary128 on riscv64, computed by libgcc's soft-fp. */
    volatile long double one = 1.0L, three = 3.0L;
    long double q = one / three;
    printf("sizeof(long double)=%zu LDBL_MANT_DIG=%d\n", sizeof(long double), LDBL_MANT_DIG);
    printf("1/3 quad = %.36Lf\n", q);
    printf("1/3 quad = %La\n", q);
    printf("sqrtl(2) = %.34Lg\n", sqrtl(2.0L * one));
    printf("(double)(1/3 quad) == 1/3: %d\n", (double)q == vd[0] / vd[1]);
}

int main(void)
{
    arithmetic();
    special_values();
    conversions();
    formatting();
    long_double();
    return 0;
}
