/* atomics_amo: the A extension instruction by instruction, then under contention.
 * Part 1 (one thread): every AMO in .w and .d form on edge-case memory/operand pairs, printing the
 * value returned in rd and the memory afterwards; .w ones work on the low word of a 64-bit slot
 * whose high word must stay untouched, and return sign-extended values.
 * Part 2 (one thread): LR/SC rules that do not depend on timing: SC after LR to the same address
 * succeeds and stores, a second SC fails, SC to another address fails and does not store, LR.W
 * sign-extends, SC.W stores 32 bits.
 * Part 3 (4 threads): amoadd/amoor/amoxor/amomax/amominu counters, an LR/SC increment loop and an
 * amoswap spinlock around a plain counter; only final totals are printed. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

typedef unsigned long long ull;

#define AMO_W(fn, insn)                                                                    \
    static uint64_t fn(uint32_t *p, uint64_t v)                                            \
    {                                                                                      \
        uint64_t r;                                                                        \
        __asm__ volatile(insn " %0, %2, (%1)" : "=&r"(r) : "r"(p), "r"(v) : "memory");     \
        return r;                                                                          \
    }
#define AMO_D(fn, insn)                                                                    \
    static uint64_t fn(uint64_t *p, uint64_t v)                                            \
    {                                                                                      \
        uint64_t r;                                                                        \
        __asm__ volatile(insn " %0, %2, (%1)" : "=&r"(r) : "r"(p), "r"(v) : "memory");     \
        return r;                                                                          \
    }
AMO_W(swap_w, "amoswap.w") AMO_W(add_w, "amoadd.w") AMO_W(xor_w, "amoxor.w") AMO_W(and_w, "amoand.w")
AMO_W(or_w, "amoor.w") AMO_W(min_w, "amomin.w") AMO_W(max_w, "amomax.w") AMO_W(minu_w, "amominu.w")
AMO_W(maxu_w, "amomaxu.w") AMO_W(add_w_aqrl, "amoadd.w.aqrl")
AMO_D(swap_d, "amoswap.d") AMO_D(add_d, "amoadd.d") AMO_D(xor_d, "amoxor.d") AMO_D(and_d, "amoand.d")
AMO_D(or_d, "amoor.d") AMO_D(min_d, "amomin.d") AMO_D(max_d, "amomax.d") AMO_D(minu_d, "amominu.d")
AMO_D(maxu_d, "amomaxu.d") AMO_D(add_d_aq, "amoadd.d.aq")

static const struct {
    const char *name;
    uint64_t (*w)(uint32_t *, uint64_t);
    uint64_t (*d)(uint64_t *, uint64_t);
} kAmos[] = {
    {"swap", swap_w, swap_d}, {"add", add_w, add_d}, {"xor", xor_w, xor_d}, {"and", and_w, and_d},
    {"or", or_w, or_d}, {"min", min_w, min_d}, {"max", max_w, max_d}, {"minu", minu_w, minu_d},
    {"maxu", maxu_w, maxu_d}, {"add.aq/rl", add_w_aqrl, add_d_aq},
};

static const uint64_t kPairs[][2] = {
    {5, 3}, {3, 5}, {0x7fffffff, 1}, {0x80000000, 0x7fffffff}, {0xffffffff, 1},
    {0xfffffffffffffffeull, 2}, {0x8000000000000000ull, 0x7fffffffffffffffull},
    {0x123456789abcdef0ull, 0xfedcba9876543210ull}, {0, 0xffffffff80000000ull},
};
enum { kPairCount = sizeof kPairs / sizeof kPairs[0] };

static void part1(void)
{
    for (unsigned i = 0; i < sizeof kAmos / sizeof kAmos[0]; ++i) {
        for (int k = 0; k < kPairCount; ++k) {
            /* .w: the low word of a slot (little-endian); the high word is a sentinel. */
            uint64_t slot = 0xa5a5a5a500000000ull | (uint32_t)kPairs[k][0];
            uint64_t rw = kAmos[i].w((uint32_t *)&slot, kPairs[k][1]);
            uint64_t mem = kPairs[k][0];
            uint64_t rd = kAmos[i].d(&mem, kPairs[k][1]);
            printf("amo%-9s m=%016llx v=%016llx  .w rd=%016llx slot=%016llx  .d rd=%016llx m=%016llx\n",
                   kAmos[i].name, (ull)kPairs[k][0], (ull)kPairs[k][1], (ull)rw, (ull)slot, (ull)rd,
                   (ull)mem);
        }
    }
}

static uint64_t lr_d(uint64_t *p)
{
    uint64_t r;
    __asm__ volatile("lr.d %0, (%1)" : "=r"(r) : "r"(p) : "memory");
    return r;
}
static uint64_t sc_d(uint64_t *p, uint64_t v)
{
    uint64_t r;
    __asm__ volatile("sc.d %0, %2, (%1)" : "=&r"(r) : "r"(p), "r"(v) : "memory");
    return r;
}
static uint64_t lr_w(uint32_t *p)
{
    uint64_t r;
    __asm__ volatile("lr.w %0, (%1)" : "=r"(r) : "r"(p) : "memory");
    return r;
}
static uint64_t sc_w(uint32_t *p, uint64_t v)
{
    uint64_t r;
    __asm__ volatile("sc.w %0, %2, (%1)" : "=&r"(r) : "r"(p), "r"(v) : "memory");
    return r;
}

static void part2(void)
{
    uint64_t a[2] = {0x1111111111111111ull, 0x2222222222222222ull};
    uint64_t v = lr_d(&a[0]);
    uint64_t s1 = sc_d(&a[0], 0x3333333333333333ull);
    uint64_t s2 = sc_d(&a[0], 0x4444444444444444ull);
    printf("lr.d=%016llx sc.d=%llu again=%llu mem=%016llx\n", (ull)v, (ull)s1, (ull)s2, (ull)a[0]);

    v = lr_d(&a[0]);
    s1 = sc_d(&a[1], 0x5555555555555555ull);
    printf("sc.d other address=%llu mem=%016llx %016llx\n", (ull)s1, (ull)a[0], (ull)a[1]);

    uint64_t slot = 0xa5a5a5a580000001ull;
    v = lr_w((uint32_t *)&slot);
    s1 = sc_w((uint32_t *)&slot, 0x123456789abcdef0ull);
    printf("lr.w=%016llx sc.w=%llu slot=%016llx\n", (ull)v, (ull)s1, (ull)slot);

    /* The canonical compare-and-swap loop, as compilers emit it. */
    uint64_t cell = 41, expected = 41, old;
    uint64_t fail;
    __asm__ volatile("1: lr.d.aqrl %0, (%2)\n"
                     "   bne %0, %3, 2f\n"
                     "   sc.d.rl %1, %4, (%2)\n"
                     "   bnez %1, 1b\n"
                     "2:\n"
                     : "=&r"(old), "=&r"(fail)
                     : "r"(&cell), "r"(expected), "r"(42ull)
                     : "memory");
    printf("cas loop: old=%llu cell=%llu\n", (ull)old, (ull)cell);
}

enum { kThreads = 4, kIters = 20000 };
static uint64_t counter_d, lrsc_counter, locked_counter, max_seen, minu_seen = ~0ull, xor_acc;
static uint32_t counter_w, or_bits, lock_word;

static void *worker(void *arg)
{
    const uint64_t id = (uint64_t)(uintptr_t)arg;
    for (uint64_t i = 0; i < kIters; ++i) {
        add_d(&counter_d, 1);
        add_w(&counter_w, 3);
        xor_d(&xor_acc, (id + 1) << (i % 61));
        max_d(&max_seen, id * kIters + i);
        minu_d(&minu_seen, 1000000 + id * kIters + i);
        uint64_t v, fail;
        __asm__ volatile("1: lr.d %0, (%2)\n"
                         "   addi %0, %0, 1\n"
                         "   sc.d %1, %0, (%2)\n"
                         "   bnez %1, 1b\n"
                         : "=&r"(v), "=&r"(fail)
                         : "r"(&lrsc_counter)
                         : "memory");
        while (swap_w(&lock_word, 1) != 0) {
        }
        locked_counter++;
        __asm__ volatile("amoswap.w.rl zero, zero, (%0)" : : "r"(&lock_word) : "memory");
    }
    or_w(&or_bits, 1u << (8 * id));
    return 0;
}

static void part3(void)
{
    pthread_t t[kThreads];
    for (uintptr_t i = 0; i < kThreads; ++i) pthread_create(&t[i], 0, worker, (void *)i);
    for (int i = 0; i < kThreads; ++i) pthread_join(t[i], 0);
    printf("amoadd.d counter=%llu amoadd.w counter=%u lr/sc counter=%llu locked counter=%llu\n",
           (ull)counter_d, counter_w, (ull)lrsc_counter, (ull)locked_counter);
    printf("amomax.d=%llu amominu.d=%llu amoor.w=%08x amoxor.d=%016llx\n", (ull)max_seen,
           (ull)minu_seen, or_bits, (ull)xor_acc);
}

int main(void)
{
    part1();
    part2();
    part3();
    return 0;
}
