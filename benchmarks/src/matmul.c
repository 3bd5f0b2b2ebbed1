/* matmul: 32-bit integer matrix multiply (i-k-j order, so the inner loop streams rows),
 * repeated with the result fed back. Stresses multiply-add and array indexing. */
#include "bench.h"

enum { kN = 256, kReps = 24 };

static int32_t a[kN][kN], b[kN][kN], c[kN][kN];

int main(void)
{
    for (int i = 0; i < kN; i++)
        for (int j = 0; j < kN; j++) {
            a[i][j] = (int32_t)(bench_rand() % 201) - 100;
            b[i][j] = (int32_t)(bench_rand() % 201) - 100;
        }
    uint64_t sum = 0;
    for (int rep = 0; rep < kReps; rep++) {
        for (int i = 0; i < kN; i++) {
            for (int j = 0; j < kN; j++)
                c[i][j] = 0;
            for (int k = 0; k < kN; k++) {
                int32_t aik = a[i][k];
                for (int j = 0; j < kN; j++)
                    c[i][j] += aik * b[k][j];
            }
        }
        /* Feed back a scaled-down result so every repetition computes something new. */
        for (int i = 0; i < kN; i++)
            for (int j = 0; j < kN; j++) {
                sum = sum * 31 + (uint32_t)c[i][j];
                a[i][j] = (c[i][j] >> 12) % 101;
            }
    }
    return bench_report("matmul", sum);
}
