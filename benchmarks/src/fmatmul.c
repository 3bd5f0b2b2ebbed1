/* fmatmul: double-precision matrix multiply (i-k-j order), repeated with the normalised result
 * fed back; each product is checked against A * (B * v) for a vector v. Stresses FP multiply and
 * add with streaming loads and stores (built with -ffp-contract=off: no fused multiply-add). */
#include <math.h>
#include <string.h>

#include "bench.h"

enum { kN = 120, kReps = 96 };

static double a[kN][kN], b[kN][kN], c[kN][kN];

static void multiply(void) {
    for (int i = 0; i < kN; i++) {
        for (int j = 0; j < kN; j++) c[i][j] = 0.0;
        for (int k = 0; k < kN; k++) {
            double aik = a[i][k];
            for (int j = 0; j < kN; j++) c[i][j] += aik * b[k][j];
        }
    }
}

/* max |C v - A (B v)| relative to max |C v|, for v = (1, -1/2, 1/3, ...). */
static double check_error(void) {
    double v[kN], bv[kN], worst = 0.0, scale = 0.0;
    for (int j = 0; j < kN; j++) v[j] = (j & 1 ? -1.0 : 1.0) / (j + 1);
    for (int i = 0; i < kN; i++) {
        double s = 0.0;
        for (int j = 0; j < kN; j++) s += b[i][j] * v[j];
        bv[i] = s;
    }
    for (int i = 0; i < kN; i++) {
        double cv = 0.0, abv = 0.0;
        for (int j = 0; j < kN; j++) {
            cv += c[i][j] * v[j];
            abv += a[i][j] * bv[j];
        }
        worst = fmax(worst, fabs(cv - abv));
        scale = fmax(scale, fabs(cv));
    }
    return scale > 0.0 ? worst / scale : worst;
}

int main(void) {
    for (int i = 0; i < kN; i++)
        for (int j = 0; j < kN; j++) {
            a[i][j] = (double)(int32_t)(bench_rand() % 2001 - 1000) / 256.0;
            b[i][j] = (double)(int32_t)(bench_rand() % 2001 - 1000) / 512.0;
        }
    uint64_t sum = 0;
    for (int rep = 0; rep < kReps; rep++) {
        multiply();
        double err = check_error();
        if (!(err < 1e-9)) {
            printf("fmatmul: product check failed in repetition %d (relative error %g)\n", rep, err);
            return 1;
        }
        /* Feed back C scaled into [-1, 1] so that the values stay finite and change every time. */
        double peak = 0.0;
        for (int i = 0; i < kN; i++)
            for (int j = 0; j < kN; j++) peak = fmax(peak, fabs(c[i][j]));
        for (int i = 0; i < kN; i++)
            for (int j = 0; j < kN; j++) {
                uint64_t bits;
                memcpy(&bits, &c[i][j], sizeof bits);
                sum = sum * 31 + bits;
                a[i][j] = c[i][j] / peak;
            }
    }
    return bench_report("fmatmul", sum);
}
