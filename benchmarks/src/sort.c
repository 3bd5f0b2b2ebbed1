/* sort: a hand-written quicksort (median of three, insertion sort for small ranges) of 32-bit
 * keys and a bottom-up merge sort of 64-bit keys, 250k each, 4 times. Stresses branches that
 * the host predicts badly, loads and stores, and recursion. */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

enum { kN = 250000, kReps = 4 };

static void insertion(uint32_t *v, long lo, long hi)
{
    for (long i = lo + 1; i <= hi; i++) {
        uint32_t x = v[i];
        long j = i - 1;
        while (j >= lo && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static void quicksort(uint32_t *v, long lo, long hi)
{
    while (hi - lo > 16) {
        long mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo]) { uint32_t t = v[mid]; v[mid] = v[lo]; v[lo] = t; }
        if (v[hi] < v[lo]) { uint32_t t = v[hi]; v[hi] = v[lo]; v[lo] = t; }
        if (v[hi] < v[mid]) { uint32_t t = v[hi]; v[hi] = v[mid]; v[mid] = t; }
        uint32_t pivot = v[mid];
        long i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                uint32_t t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                j--;
            }
        }
        /* Recurse into the smaller part, loop on the larger: bounded stack depth. */
        if (j - lo < hi - i) {
            quicksort(v, lo, j);
            lo = i;
        } else {
            quicksort(v, i, hi);
            hi = j;
        }
    }
    insertion(v, lo, hi);
}

static void merge_sort(uint64_t *v, uint64_t *tmp, long n)
{
    for (long width = 1; width < n; width *= 2) {
        for (long lo = 0; lo < n; lo += 2 * width) {
            long mid = lo + width < n ? lo + width : n;
            long hi = lo + 2 * width < n ? lo + 2 * width : n;
            long i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = v[i] <= v[j] ? v[i++] : v[j++];
            while (i < mid)
                tmp[k++] = v[i++];
            while (j < hi)
                tmp[k++] = v[j++];
        }
        memcpy(v, tmp, (size_t)n * sizeof *v);
    }
}

int main(void)
{
    uint32_t *v = malloc(kN * sizeof *v);
    uint64_t *w = malloc(kN * sizeof *w), *tmp = malloc(kN * sizeof *tmp);
    uint64_t sum = 0;
    /* Several smaller sorts rather than one huge one: keeps the data mostly in cache, so the
     * time reflects the generated code more than the host's memory bandwidth. */
    for (int rep = 0; rep < kReps; rep++) {
        for (long i = 0; i < kN; i++) {
            v[i] = bench_rand();
            w[i] = (uint64_t)bench_rand() << 32 | bench_rand();
        }
        quicksort(v, 0, kN - 1);
        merge_sort(w, tmp, kN);
        for (long i = 0; i < kN; i++) {
            if ((i && v[i - 1] > v[i]) || (i && w[i - 1] > w[i])) {
                printf("sort: not sorted at %ld\n", i);
                return 1;
            }
            sum = sum * 1000003 + v[i] + (w[i] >> 17);
        }
    }
    free(v);
    free(w);
    free(tmp);
    return bench_report("sort", sum);
}
