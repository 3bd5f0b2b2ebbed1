/* misaligned: loads and stores of every size at addresses that are not aligned to their size,
 * including every offset that straddles a page boundary, each loaded value used by the very next
 * instruction. Thousands of runs of the same instructions, so that every tier compiles them; each
 * result is checked against the bytes in memory, assembled in C.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kPage = 4096, kHot = 3000 };

/* Each load is followed by an addi of its destination, so the value must be in the guest register
 * straight away, whichever path the access took. */
#define LOAD(name, insn)                                                                 \
    __attribute__((noinline)) static uint64_t name(const unsigned char *p)               \
    {                                                                                    \
        uint64_t r;                                                                      \
        __asm__ volatile(insn " %0, 0(%1)\n\taddi %0, %0, 1" : "=r"(r) : "r"(p) : "memory"); \
        return r;                                                                        \
    }
LOAD(load_lh, "lh")
LOAD(load_lhu, "lhu")
LOAD(load_lw, "lw")
LOAD(load_lwu, "lwu")
LOAD(load_ld, "ld")

#define STORE(name, insn)                                                                  \
    __attribute__((noinline)) static void name(unsigned char *p, uint64_t v)               \
    {                                                                                      \
        __asm__ volatile(insn " %0, 0(%1)" : : "r"(v), "r"(p) : "memory");                 \
    }
STORE(store_sh, "sh")
STORE(store_sw, "sw")
STORE(store_sd, "sd")

static uint64_t expected_load(const unsigned char *p, unsigned size, int sign)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) v |= (uint64_t)p[i] << (8 * i);
    if (sign && size < 8 && (v >> (8 * size - 1) & 1)) v |= ~UINT64_C(0) << (8 * size);
    return v + 1;
}

int main(void)
{
    unsigned char *buf = aligned_alloc(kPage, 2 * kPage);
    if (!buf) return 2;
    static const struct {
        const char *name;
        uint64_t (*fn)(const unsigned char *);
        unsigned size;
        int sign;
    } loads[] = {{"lh", load_lh, 2, 1},  {"lhu", load_lhu, 2, 0}, {"lw", load_lw, 4, 1},
                 {"lwu", load_lwu, 4, 0}, {"ld", load_ld, 8, 1}};
    int failures = 0;
    for (size_t l = 0; l < sizeof loads / sizeof loads[0]; l++) {
        unsigned checked = 0;
        for (int i = 0; i < kHot; i++) {
            /* Offsets from 8 before the page's end to 1 after it: unaligned, straddling, aligned. */
            const unsigned char *p = buf + kPage - 8 + (unsigned)i % 10;
            for (unsigned j = 0; j < 2 * kPage; j++) buf[j] = (unsigned char)(j * 37 + i);
            const uint64_t got = loads[l].fn(p), want = expected_load(p, loads[l].size, loads[l].sign);
            if (got != want) {
                if (failures++ < 10)
                    printf("%s at page end %+d: %016llx, expected %016llx\n", loads[l].name,
                           (int)(p - buf - kPage), (unsigned long long)got, (unsigned long long)want);
            }
            checked++;
        }
        printf("%s: %u loads checked\n", loads[l].name, checked);
    }
    static const struct {
        const char *name;
        void (*fn)(unsigned char *, uint64_t);
        unsigned size;
    } stores[] = {{"sh", store_sh, 2}, {"sw", store_sw, 4}, {"sd", store_sd, 8}};
    for (size_t s = 0; s < sizeof stores / sizeof stores[0]; s++) {
        unsigned checked = 0;
        for (int i = 0; i < kHot; i++) {
            unsigned char *p = buf + kPage - 8 + (unsigned)i % 10;
            memset(buf + kPage - 16, 0xA5, 32);
            const uint64_t v = UINT64_C(0x0123456789ABCDEF) * (uint64_t)(i + 1);
            stores[s].fn(p, v);
            for (int k = -16; k < 16; k++) {
                const unsigned char *b = buf + kPage + k;
                const long at = b - p;
                const unsigned char want =
                    at >= 0 && at < (long)stores[s].size ? (unsigned char)(v >> (8 * at)) : 0xA5;
                if (*b != want && failures++ < 10)
                    printf("%s at page end %+d: byte %+d is %02x, expected %02x\n", stores[s].name,
                           (int)(p - buf - kPage), k, *b, want);
            }
            checked++;
        }
        printf("%s: %u stores checked\n", stores[s].name, checked);
    }
    printf("%d failures\n", failures);
    return failures != 0;
}
