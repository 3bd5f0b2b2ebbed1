/* memops: memcpy, memset and memmove (both directions, overlapping) through the C library, at
 * sizes from 1 byte to 64 KiB and at every alignment; the moved bytes are checked against a known
 * pattern. Stresses the library's block-copy loops, unaligned heads and tails, and the
 * emulator's handling of long runs of loads and stores. */
#include <string.h>

#include "bench.h"

enum { kBufSize = 256 * 1024, kRounds = 1000 };

static unsigned char src[kBufSize], dst[kBufSize], pristine[kBufSize];

static unsigned char pattern(size_t i) {
    return (unsigned char)(i * 131 + (i >> 8) * 7 + 3);
}

/* FNV-1a over a few bytes at the edges and in the middle of a region. */
static uint64_t sample(uint64_t h, const unsigned char* p, size_t n) {
    size_t at[5] = {0, n / 4, n / 2, n - 1 - n / 4, n - 1};
    for (int i = 0; i < 5; i++) h = (h ^ p[at[i]]) * 0x100000001b3ull;
    return h;
}

int main(void) {
    static const size_t sizes[] = {1,   3,    7,    8,    15,   16,    31,    64,    100,  255,
                                   256, 1000, 4096, 4099, 8192, 16384, 40000, 65536, 65537};
    const int nsizes = (int)(sizeof sizes / sizeof sizes[0]);
    for (size_t i = 0; i < kBufSize; i++) pristine[i] = pattern(i);
    memcpy(src, pristine, kBufSize);
    uint64_t h = 0xcbf29ce484222325ull;

    for (int r = 0; r < kRounds; r++) {
        for (int s = 0; s < nsizes; s++) {
            size_t n = sizes[s], so = bench_rand() % 64, d = bench_rand() % 64;
            for (size_t base = 0; base + n + 128 <= kBufSize; base += n + 128 + (size_t)s * 512) {
                memcpy(dst + base + d, src + base + so, n);
                if (dst[base + d] != pattern(base + so) || dst[base + d + n - 1] != pattern(base + so + n - 1)) {
                    printf("memops: memcpy of %zu bytes wrong\n", n);
                    return 1;
                }
                h = sample(h, dst + base + d, n);
            }
            size_t off = bench_rand() % (kBufSize - n);
            memset(dst + off, (int)(r * 16 + s), n);
            h = sample(h, dst + off, n);
        }
    }

    /* Overlapping moves inside src, forwards and backwards, each checked byte by byte. */
    for (int r = 0; r < kRounds; r++) {
        for (int s = 0; s < nsizes; s++) {
            size_t n = sizes[s];
            if (n + 4096 > kBufSize) continue;
            memcpy(src, pristine, n + 256);
            size_t from = 1 + bench_rand() % 127, to = bench_rand() % 128;
            memmove(src + to, src + from, n);
            for (size_t i = 0; i < n; i += 1 + i / 8) {
                if (src[to + i] != pattern(from + i)) {
                    printf("memops: memmove of %zu bytes from %zu to %zu wrong at %zu\n", n, from, to, i);
                    return 1;
                }
            }
            h = sample(h, src + to, n);
        }
    }

    uint64_t total = 0;
    for (size_t i = 0; i < kBufSize; i += 8) {
        uint64_t w;
        memcpy(&w, dst + i, 8);
        total = total * 3 + w;
    }
    return bench_report("memops", h ^ total);
}
