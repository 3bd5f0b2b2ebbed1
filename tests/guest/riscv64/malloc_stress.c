/* malloc_stress: malloc/calloc/realloc/free under a deterministic random workload.
 * Checks that the heap (brk) and large allocations (mmap, above glibc's 128 KiB threshold) work,
 * that realloc keeps contents when it moves a block, that calloc memory is zero (including
 * recycled and fresh mmap'd memory), and that no block overwrites another: every live block
 * holds a pattern derived from its id, verified before it is freed or resized. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kSlots = 512, kRounds = 10000 };

struct Slot {
    unsigned char *p;
    size_t size;
    uint32_t id;
};

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint32_t rng(void)
{
    /* xorshift64*: deterministic on every host, unlike rand(). */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static unsigned char pattern(uint32_t id, size_t i) { return (unsigned char)(id * 131 + i * 7); }

static void fill(struct Slot *s, size_t from)
{
    for (size_t i = from; i < s->size; i++)
        s->p[i] = pattern(s->id, i);
}

static int check(const struct Slot *s, size_t upto)
{
    for (size_t i = 0; i < upto; i++)
        if (s->p[i] != pattern(s->id, i))
            return 0;
    return 1;
}

static size_t random_size(void)
{
    uint32_t r = rng() % 100;
    if (r < 60)
        return rng() % 64 + 1; /* small: tcache/fastbins */
    if (r < 98)
        return rng() % 4096 + 1; /* medium: bins */
    return 128 * 1024 + rng() % (256 * 1024); /* large: mmap */
}

int main(void)
{
    static struct Slot slots[kSlots];
    uint32_t next_id = 1;
    unsigned long mallocs = 0, reallocs = 0, frees = 0, callocs = 0, errors = 0;
    uint64_t bytes = 0;

    for (int round = 0; round < kRounds; round++) {
        struct Slot *s = &slots[rng() % kSlots];
        uint32_t op = rng() % 10;
        if (s->p == NULL) {
            s->size = random_size();
            s->id = next_id++;
            if (op < 3) {
                s->p = calloc(1, s->size);
                callocs++;
                for (size_t i = 0; s->p && i < s->size; i++)
                    if (s->p[i] != 0) {
                        errors++;
                        break;
                    }
            } else {
                s->p = malloc(s->size);
                mallocs++;
            }
            if (s->p == NULL) {
                printf("allocation of %zu failed\n", s->size);
                return 1;
            }
            fill(s, 0);
            bytes += s->size;
        } else if (op < 4) {
            size_t old = s->size;
            size_t keep = old;
            size_t nsize = random_size();
            if (!check(s, old))
                errors++;
            unsigned char *np = realloc(s->p, nsize);
            if (np == NULL) {
                printf("realloc to %zu failed\n", nsize);
                return 1;
            }
            s->p = np;
            s->size = nsize;
            if (keep > nsize)
                keep = nsize;
            if (!check(s, keep))
                errors++;
            fill(s, keep);
            reallocs++;
        } else {
            if (!check(s, s->size))
                errors++;
            free(s->p);
            s->p = NULL;
            frees++;
        }
    }
    for (int i = 0; i < kSlots; i++) {
        if (slots[i].p) {
            if (!check(&slots[i], slots[i].size))
                errors++;
            free(slots[i].p);
        }
    }

    /* A growing realloc chain: each step must carry the old contents along. */
    unsigned char *grow = NULL;
    size_t gsize = 0;
    for (size_t n = 1; n <= (1u << 21); n *= 2) {
        grow = realloc(grow, n);
        for (size_t i = gsize; i < n; i++)
            grow[i] = (unsigned char)(i ^ (i >> 8) ^ (i >> 16));
        gsize = n;
    }
    uint32_t gsum = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < gsize; i++)
        gsum = (gsum ^ grow[i]) * 16777619u;
    free(grow);

    printf("mallocs=%lu callocs=%lu reallocs=%lu frees=%lu\n", mallocs, callocs, reallocs, frees);
    printf("bytes allocated=%llu\n", (unsigned long long)bytes);
    printf("grow checksum=%08x\n", gsum);
    printf("errors=%lu\n", errors);
    return errors == 0 ? 0 : 1;
}
