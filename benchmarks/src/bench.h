/* Shared helpers for the CPU benchmarks: a deterministic random generator (the same numbers
 * on every host and guest) and the one-line checksum report that run.py verifies. */
#ifndef MIMIC_BENCH_H
#define MIMIC_BENCH_H

#include <stdint.h>
#include <stdio.h>

static uint64_t bench_rng_state = 0x243F6A8885A308D3ULL;

static inline uint32_t bench_rand(void) {
    /* xorshift64*; rand() differs between libcs and would change the checksums. */
    bench_rng_state ^= bench_rng_state >> 12;
    bench_rng_state ^= bench_rng_state << 25;
    bench_rng_state ^= bench_rng_state >> 27;
    return (uint32_t)((bench_rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

/* The only line a benchmark prints; run.py compares it with checksums.txt. The bare-metal builds
 * also compare it themselves (BENCH_EXPECTED comes from checksums.txt), so that the exit status
 * they give the emulator says whether the run was right: 2 for a wrong checksum. */
static inline int bench_report(const char* name, uint64_t checksum) {
    printf("%s checksum %016llx\n", name, (unsigned long long)checksum);
#ifdef BENCH_EXPECTED
    if (checksum != (uint64_t)BENCH_EXPECTED) {
        printf("%s: expected checksum %016llx\n", name, (unsigned long long)BENCH_EXPECTED);
        return 2;
    }
#endif
    return 0;
}

#endif
