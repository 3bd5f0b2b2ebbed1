/* strings: string.h and the integer side of snprintf.
 * Checks length/compare/copy/search functions (including misaligned and overlapping buffers,
 * which exercise glibc's word-at-a-time paths), strtol/strtoul edge cases, and snprintf of
 * ints at their limits, with widths, flags and truncation. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The truncations below are the point of the test. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wstringop-truncation"

static int sign(int v) { return (v > 0) - (v < 0); }

static void test_basic(void)
{
    char buf[64];
    printf("strlen: %zu %zu %zu\n", strlen(""), strlen("a"), strlen("hello, world"));
    printf("strcmp: %d %d %d %d\n", sign(strcmp("abc", "abc")), sign(strcmp("abc", "abd")),
           sign(strcmp("b", "abc")), sign(strcmp("ab", "abc")));
    /* A byte >= 0x80 must compare as unsigned char. */
    printf("strcmp high byte: %d\n", sign(strcmp("\x80", "\x7f")));
    printf("strncmp: %d %d\n", sign(strncmp("abcX", "abcY", 3)), sign(strncmp("abcX", "abcY", 4)));
    strcpy(buf, "foo");
    strcat(buf, "bar");
    strncat(buf, "bazqux", 3);
    printf("strcpy/strcat: %s\n", buf);
    memset(buf, 'x', 10);
    strncpy(buf, "ab", 5); /* pads with NULs up to 5 */
    printf("strncpy pad: %d %d %d %c\n", buf[2], buf[3], buf[4], buf[5]);
    const char *s = "the quick brown fox jumps over the lazy dog";
    printf("strchr: %td strrchr: %td\n", strchr(s, 'o') - s, strrchr(s, 'o') - s);
    printf("strchr NUL: %td\n", strchr(s, '\0') - s);
    printf("strstr: %td %s\n", strstr(s, "fox") - s, strstr(s, "cat") ? "found" : "null");
    printf("strspn/strcspn: %zu %zu\n", strspn(s, "the "), strcspn(s, "qz"));
    printf("strpbrk: %s\n", strpbrk(s, "xyz"));
    char *d = strdup(s);
    printf("strdup equal: %d\n", strcmp(d, s) == 0);
    free(d);
    char tok[] = "  alpha,beta;;gamma , delta";
    char *save = NULL;
    for (char *t = strtok_r(tok, " ,;", &save); t; t = strtok_r(NULL, " ,;", &save))
        printf("token: [%s]\n", t);
}

/* Runs mem* functions over all small alignments and lengths; prints a checksum so that any
 * single wrong byte shows. */
static void test_mem_alignments(void)
{
    static unsigned char src[256], dst[256];
    uint32_t sum = 0;
    for (int i = 0; i < 256; i++)
        src[i] = (unsigned char)(i * 7 + 3);
    for (int so = 0; so < 8; so++)
        for (int doff = 0; doff < 8; doff++)
            for (int len = 0; len < 80; len += 3) {
                memset(dst, 0xAA, sizeof dst);
                memcpy(dst + doff, src + so, (size_t)len);
                for (int i = 0; i < 100; i++)
                    sum = sum * 31 + dst[i];
                sum += (uint32_t)sign(memcmp(dst + doff, src + so, (size_t)len)) + 5;
            }
    printf("memcpy checksum: %08x\n", sum);

    unsigned char ov[64];
    for (int i = 0; i < 64; i++)
        ov[i] = (unsigned char)i;
    memmove(ov + 3, ov, 40); /* forward overlap */
    memmove(ov + 50, ov + 52, 10); /* backward overlap */
    sum = 0;
    for (int i = 0; i < 64; i++)
        sum = sum * 33 + ov[i];
    printf("memmove checksum: %08x (ov[3]=%d ov[42]=%d ov[50]=%d)\n", sum, ov[3], ov[42], ov[50]);

    unsigned char a[40], b[40];
    memset(a, 5, sizeof a);
    memset(b, 5, sizeof b);
    b[37] = 6;
    printf("memcmp: %d %d\n", sign(memcmp(a, b, 37)), sign(memcmp(a, b, 40)));
    printf("memchr: %td\n", (unsigned char *)memchr(b, 6, sizeof b) - b);
    /* strlen at every alignment, with the NUL at every position within a word. */
    char str[64];
    sum = 0;
    for (int off = 0; off < 8; off++)
        for (int len = 0; len < 40; len++) {
            memset(str, 'z', sizeof str);
            str[off + len] = '\0';
            sum = sum * 3 + (uint32_t)strlen(str + off);
        }
    printf("strlen alignments: %08x\n", sum);
}

static void test_strto(void)
{
    char *end;
    printf("strtol: %ld %ld %ld\n", strtol("  -12345xyz", &end, 10), strtol("0x7f", NULL, 16),
           strtol("0777", NULL, 0));
    printf("strtol end: [%s]\n", end);
    printf("strtol overflow: %ld %ld\n", strtol("99999999999999999999", NULL, 10),
           strtol("-99999999999999999999", NULL, 10));
    printf("strtoul: %lu %lu\n", strtoul("18446744073709551615", NULL, 10),
           strtoul("-1", NULL, 10));
    printf("strtoll base 36: %lld\n", strtoll("zz", NULL, 36));
    printf("atoi: %d\n", atoi("  +42abc"));
}

static void test_snprintf(void)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%d %d %d", 0, INT_MAX, INT_MIN);
    printf("ints: %s\n", buf);
    snprintf(buf, sizeof buf, "%ld %ld %lu", LONG_MAX, LONG_MIN, ULONG_MAX);
    printf("longs: %s\n", buf);
    snprintf(buf, sizeof buf, "%x %X %o %#x %#o", 0xdeadbeefu, 0xcafeu, 8u, 255u, 8u);
    printf("hex/oct: %s\n", buf);
    snprintf(buf, sizeof buf, "[%5d][%-5d][%05d][%+d][% d][%.3d]", 42, 42, -42, 42, 42, 7);
    printf("widths: %s\n", buf);
    snprintf(buf, sizeof buf, "[%*d][%-*d][%hhd][%hd][%lld]", 6, -1, 4, 9, 300, 70000,
             (long long)-9000000000LL);
    printf("star/len: %s\n", buf);
    snprintf(buf, sizeof buf, "%s|%10s|%-10s|%.2s|%c", "abc", "right", "left", "trunc", 'Z');
    printf("strings: %s\n", buf);
    int n = snprintf(buf, 8, "%s", "0123456789abcdef");
    printf("truncated: %d [%s]\n", n, buf);
    n = snprintf(NULL, 0, "%d-%d", 12345, 678);
    printf("length only: %d\n", n);
    uint64_t big = 0x0123456789abcdefULL;
    snprintf(buf, sizeof buf, "%016llx %llu", (unsigned long long)big, (unsigned long long)big);
    printf("u64: %s\n", buf);
}

int main(void)
{
    test_basic();
    test_mem_alignments();
    test_strto();
    test_snprintf();
    return 0;
}
