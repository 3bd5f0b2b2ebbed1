/* hashtable: string keys in an open-addressing hash table (FNV-1a, linear probing): build
 * words from random syllables, count occurrences, then look up present and absent keys.
 * Stresses byte loads, string compares, hashing multiplies and unpredictable memory access. */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

enum { kSlots = 1 << 17, kInserts = 400000, kLookups = 400000, kMaxWord = 24 };

struct Entry {
    char key[kMaxWord];
    uint32_t count;
    uint32_t hash;
};

static struct Entry table[kSlots];

static uint32_t fnv1a(const char *s, size_t *len)
{
    uint32_t h = 2166136261u;
    const char *p = s;
    for (; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    *len = (size_t)(p - s);
    return h;
}

static void make_word(char *out)
{
    static const char *syll[] = {"ka", "lo", "mi", "nu", "re", "sa", "ti", "vo",
                                 "ze", "qua", "pri", "sto", "an", "el", "ix", "or"};
    int n = 1 + (int)(bench_rand() % 4);
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        strcat(out, syll[bench_rand() % 16]);
}

static struct Entry *find(const char *key, int insert)
{
    size_t len;
    uint32_t h = fnv1a(key, &len);
    for (uint32_t i = h & (kSlots - 1);; i = (i + 1) & (kSlots - 1)) {
        struct Entry *e = &table[i];
        if (e->key[0] == '\0') {
            if (!insert)
                return NULL;
            memcpy(e->key, key, len + 1);
            e->hash = h;
            return e;
        }
        if (e->hash == h && strcmp(e->key, key) == 0)
            return e;
    }
}

int main(void)
{
    char word[kMaxWord];
    uint32_t distinct = 0;
    for (int i = 0; i < kInserts; i++) {
        make_word(word);
        struct Entry *e = find(word, 1);
        if (e->count++ == 0)
            distinct++;
    }
    uint64_t found = 0, missing = 0, weight = 0;
    for (int i = 0; i < kLookups; i++) {
        make_word(word);
        if (i & 1)
            word[0] = 'X'; /* syllables never start with X: always absent */
        struct Entry *e = find(word, 0);
        if (e) {
            found++;
            weight += e->count;
        } else {
            missing++;
        }
    }
    uint64_t sum = 0;
    for (int i = 0; i < kSlots; i++)
        sum = sum * 33 + table[i].count;
    sum ^= (weight << 32) ^ (found << 20) ^ (missing << 40) ^ distinct;
    return bench_report("hashtable", sum);
}
