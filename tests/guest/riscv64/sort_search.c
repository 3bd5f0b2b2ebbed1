/* sort_search: qsort and bsearch from libc, which call back into guest code through function
 * pointers. Checks ints (with duplicates and negative values, so a wrong signed compare shows),
 * 64-bit keys, strings through an array of pointers, and structs sorted by two keys; then
 * bsearch for present and absent keys. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t lcg_state = 12345;
static uint32_t lcg(void) { return lcg_state = lcg_state * 1103515245u + 12345u; }

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_u64_desc(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x < y) - (x > y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct Rec {
    short group;
    int value;
    char tag[6];
};

static int cmp_rec(const void *a, const void *b)
{
    const struct Rec *x = a, *y = b;
    if (x->group != y->group)
        return x->group - y->group;
    if (x->value != y->value)
        return (x->value > y->value) - (x->value < y->value);
    return strcmp(x->tag, y->tag);
}

int main(void)
{
    enum { kN = 5000 };
    static int ints[kN];
    for (int i = 0; i < kN; i++)
        ints[i] = (int)(lcg() >> 8) % 2001 - 1000;
    qsort(ints, kN, sizeof ints[0], cmp_int);
    int sorted = 1;
    uint32_t sum = 0;
    for (int i = 0; i < kN; i++) {
        if (i && ints[i - 1] > ints[i])
            sorted = 0;
        sum = sum * 31 + (uint32_t)ints[i];
    }
    printf("ints sorted=%d min=%d max=%d median=%d checksum=%08x\n", sorted, ints[0], ints[kN - 1],
           ints[kN / 2], sum);

    int present = 0, absent = 0;
    for (int key = -1100; key <= 1100; key++) {
        int *hit = bsearch(&key, ints, kN, sizeof ints[0], cmp_int);
        if (hit && *hit != key) {
            printf("bsearch returned wrong element\n");
            return 1;
        }
        hit ? present++ : absent++;
    }
    printf("bsearch present=%d absent=%d\n", present, absent);

    static uint64_t big[1000];
    for (int i = 0; i < 1000; i++)
        big[i] = ((uint64_t)lcg() << 32) ^ lcg();
    qsort(big, 1000, sizeof big[0], cmp_u64_desc);
    int desc = 1;
    for (int i = 1; i < 1000; i++)
        if (big[i - 1] < big[i])
            desc = 0;
    printf("u64 descending=%d first=%016llx last=%016llx\n", desc, (unsigned long long)big[0],
           (unsigned long long)big[999]);

    const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "date", "elderberry",
                           "grape", "Apple", "apricot", "kiwi", "lemon", "lime", "mango", ""};
    size_t nw = sizeof words / sizeof words[0];
    qsort(words, nw, sizeof words[0], cmp_str);
    printf("words:");
    for (size_t i = 0; i < nw; i++)
        printf(" [%s]", words[i]);
    printf("\n");
    const char *key = "kiwi", *missing = "plum";
    const char **w = bsearch(&key, words, nw, sizeof words[0], cmp_str);
    printf("bsearch kiwi at %td, plum %s\n", w ? w - words : -1,
           bsearch(&missing, words, nw, sizeof words[0], cmp_str) ? "found" : "absent");

    static struct Rec recs[300];
    for (int i = 0; i < 300; i++) {
        recs[i].group = (short)(lcg() >> 16) % 5;
        recs[i].value = (int)(lcg() >> 20) % 50;
        snprintf(recs[i].tag, sizeof recs[i].tag, "t%03d", i);
    }
    qsort(recs, 300, sizeof recs[0], cmp_rec);
    printf("recs:");
    for (int i = 0; i < 300; i += 37)
        printf(" %d/%d/%s", recs[i].group, recs[i].value, recs[i].tag);
    printf("\n");
    int ok = 1;
    for (int i = 1; i < 300; i++)
        if (cmp_rec(&recs[i - 1], &recs[i]) > 0)
            ok = 0;
    printf("recs ordered=%d\n", ok);
    return 0;
}
