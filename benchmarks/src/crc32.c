/* crc32: CRC-32 (IEEE, reflected 0xEDB88320) and CRC-32C (Castagnoli) over a 64 KiB buffer, by
 * byte table, by slicing-by-4 tables and bit by bit; all three must agree on every slice.
 * Stresses table loads indexed by data, shifts and xors, and the tight bitwise loop's branches. */
#include "bench.h"

enum { kBufSize = 64 * 1024, kRounds = 300, kBitwiseBytes = 4096 };

static uint32_t table[2][4][256]; /* [polynomial][slice][byte] */
static const uint32_t kPoly[2] = {0xEDB88320u, 0x82F63B78u};
static unsigned char buf[kBufSize];

static void make_tables(void) {
    for (int p = 0; p < 2; p++) {
        for (uint32_t b = 0; b < 256; b++) {
            uint32_t c = b;
            for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ kPoly[p] : c >> 1;
            table[p][0][b] = c;
        }
        for (int s = 1; s < 4; s++)
            for (int b = 0; b < 256; b++)
                table[p][s][b] = (table[p][s - 1][b] >> 8) ^ table[p][0][table[p][s - 1][b] & 0xff];
    }
}

static uint32_t crc_bitwise(int p, uint32_t crc, const unsigned char* d, size_t n) {
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= d[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (kPoly[p] & (0u - (crc & 1)));
    }
    return ~crc;
}

static uint32_t crc_table(int p, uint32_t crc, const unsigned char* d, size_t n) {
    const uint32_t* t = table[p][0];
    crc = ~crc;
    for (size_t i = 0; i < n; i++) crc = (crc >> 8) ^ t[(crc ^ d[i]) & 0xff];
    return ~crc;
}

static uint32_t crc_slice4(int p, uint32_t crc, const unsigned char* d, size_t n) {
    const uint32_t(*t)[256] = table[p];
    crc = ~crc;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        /* Byte by byte rather than a 32-bit load: the same result on any endianness and alignment. */
        crc ^= (uint32_t)d[i] | (uint32_t)d[i + 1] << 8 | (uint32_t)d[i + 2] << 16 | (uint32_t)d[i + 3] << 24;
        crc = t[3][crc & 0xff] ^ t[2][(crc >> 8) & 0xff] ^ t[1][(crc >> 16) & 0xff] ^ t[0][crc >> 24];
    }
    for (; i < n; i++) crc = (crc >> 8) ^ t[0][(crc ^ d[i]) & 0xff];
    return ~crc;
}

int main(void) {
    make_tables();
    const unsigned char* digits = (const unsigned char*)"123456789";
    static const uint32_t kKnown[2] = {0xCBF43926u, 0xE3069283u};
    for (int p = 0; p < 2; p++)
        if (crc_bitwise(p, 0, digits, 9) != kKnown[p] || crc_table(p, 0, digits, 9) != kKnown[p] ||
            crc_slice4(p, 0, digits, 9) != kKnown[p]) {
            printf("crc32: known-answer test failed for polynomial %d\n", p);
            return 1;
        }
    for (size_t i = 0; i < kBufSize; i++) buf[i] = (unsigned char)bench_rand();

    uint64_t sum = 0;
    uint32_t running[2] = {0, 0};
    for (int r = 0; r < kRounds; r++) {
        for (int p = 0; p < 2; p++) {
            /* Whole buffer by table and by slices; an odd-sized, odd-aligned window bit by bit. */
            uint32_t a = crc_table(p, running[p], buf, kBufSize);
            uint32_t b = crc_slice4(p, running[p], buf, kBufSize);
            size_t off = bench_rand() % (kBufSize - kBitwiseBytes), len = kBitwiseBytes - (size_t)r;
            uint32_t c = crc_bitwise(p, a, buf + off, len);
            uint32_t d = crc_table(p, a, buf + off, len);
            if (a != b || c != d) {
                printf("crc32: methods disagree in round %d (%08x %08x %08x %08x)\n", r, a, b, c, d);
                return 1;
            }
            running[p] = c;
            sum = sum * 0x100000001b3ull ^ c;
        }
        buf[bench_rand() % kBufSize] ^= (unsigned char)(r + 1); /* next round sees new data */
    }
    return bench_report("crc32", sum ^ ((uint64_t)running[0] << 32 | running[1]));
}
