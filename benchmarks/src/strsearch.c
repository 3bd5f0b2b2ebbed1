/* strsearch: counts every occurrence of many patterns in a 128 KiB generated text, with a naive
 * search and with Boyer-Moore-Horspool; both counts must agree. The text is words over a small
 * alphabet, so partial matches are frequent. Stresses byte loads and compares, data-dependent
 * branches and the skip-table lookups. */
#include <string.h>

#include "bench.h"

enum { kTextLen = 128 * 1024, kPatterns = 240, kMaxPattern = 40 };

static char text[kTextLen + 1];

static void make_text(void) {
    static const char* words[] = {"the",  "then",   "there",  "these", "other", "another", "theory", "her",
                                  "here", "hereto", "tether", "at",    "that",  "hat",     "heat",   "ether"};
    size_t n = 0;
    while (n + 8 < kTextLen) {
        const char* w = words[bench_rand() % 16];
        size_t len = strlen(w);
        memcpy(text + n, w, len);
        n += len;
        text[n++] = (bench_rand() & 7) ? ' ' : '\n';
    }
    memset(text + n, ' ', kTextLen - n);
    text[kTextLen] = '\0';
}

static uint64_t naive_count(const char* t, size_t n, const char* p, size_t m, size_t* last) {
    uint64_t count = 0;
    for (size_t i = 0; i + m <= n; i++) {
        size_t j = 0;
        while (j < m && t[i + j] == p[j]) j++;
        if (j == m) {
            count++;
            *last = i;
        }
    }
    return count;
}

static uint64_t horspool_count(const char* t, size_t n, const char* p, size_t m, size_t* last) {
    size_t skip[256];
    for (int c = 0; c < 256; c++) skip[c] = m;
    for (size_t j = 0; j + 1 < m; j++) skip[(unsigned char)p[j]] = m - 1 - j;
    uint64_t count = 0;
    const unsigned char lastc = (unsigned char)p[m - 1];
    for (size_t i = 0; i + m <= n;) {
        unsigned char c = (unsigned char)t[i + m - 1];
        if (c == lastc) {
            size_t j = 0;
            while (j + 1 < m && t[i + j] == p[j]) j++;
            if (j + 1 == m) {
                count++;
                *last = i;
            }
        }
        i += skip[c];
    }
    return count;
}

int main(void) {
    /* Known answers on a small case, including overlapping matches. */
    size_t last = 0;
    if (naive_count("aaaa", 4, "aa", 2, &last) != 3 || horspool_count("aaaa", 4, "aa", 2, &last) != 3 ||
        horspool_count("xabcabcx", 8, "abcx", 4, &last) != 1 || last != 4) {
        printf("strsearch: self-test failed\n");
        return 1;
    }
    make_text();
    uint64_t sum = 0, total = 0;
    for (int k = 0; k < kPatterns; k++) {
        char pat[kMaxPattern + 1];
        size_t m = 2 + (size_t)(k * 7) % (kMaxPattern - 1);
        /* Half the patterns are cut from the text (at least one hit), half are mutated copies. */
        size_t at = bench_rand() % (kTextLen - m);
        memcpy(pat, text + at, m);
        pat[m] = '\0';
        if (k & 1) pat[m / 2] = (char)('a' + bench_rand() % 26);
        size_t last_n = 0, last_h = 0;
        uint64_t a = naive_count(text, kTextLen, pat, m, &last_n);
        uint64_t b = horspool_count(text, kTextLen, pat, m, &last_h);
        if (a != b || last_n != last_h || (!(k & 1) && a == 0)) {
            printf("strsearch: pattern %d: naive %llu, horspool %llu\n", k, (unsigned long long)a,
                   (unsigned long long)b);
            return 1;
        }
        total += a;
        sum = sum * 1000003 + a * 65599 + last_n;
    }
    return bench_report("strsearch", sum ^ total << 48);
}
