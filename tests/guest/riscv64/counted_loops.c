/* Counted loops, which the LLVM tier versions: a copy without per-access checks runs when one check
 * before the loop proves every access of it accessible. Every kind of exit, stride and trip count
 * must give the results the checked loop gives, and where the check must refuse the copy (a fault
 * part-way, a store to a page holding translated code, a loop longer than the copy may run) the
 * guest sees exactly what it would without the copy. Built without loop-to-memcpy rewriting, so
 * that the loops stay loops. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define N 4096
static uint32_t a[N], b[N], c[N];
static uint8_t big[(1 << 20) + 4096];

static uint64_t mix(uint64_t h, uint64_t v) {
    return (h ^ v) * 0x100000001b3ull;
}

__attribute__((noinline)) static void scale_add(uint32_t *dst, const uint32_t *src, uint32_t k, long n) {
    for (long i = 0; i < n; i++) dst[i] += src[i] * k;
}

__attribute__((noinline)) static uint64_t sum_down(const uint32_t *p, long n) {
    uint64_t s = 0;
    for (long i = n - 1; i >= 0; i--) s = s * 31 + p[i];
    return s;
}

__attribute__((noinline)) static int64_t strided_signed(const int32_t *base, long lo, long hi, long step) {
    int64_t s = 0;
    for (long i = lo; i < hi; i += step) s += (int64_t)base[i] * (i | 1);
    return s;
}

__attribute__((noinline)) static uint64_t strided_unsigned_down(const uint16_t *base, unsigned long from,
                                                                unsigned long to, unsigned long step) {
    uint64_t s = 0;
    for (unsigned long i = from; i > to; i -= step) s = mix(s, base[i]);
    return s;
}

__attribute__((noinline)) static void copy_words(uint64_t *dst, const uint64_t *src, const uint64_t *end) {
    while (src != end) *dst++ = *src++;
}

__attribute__((noinline)) static void fill_bytes(uint8_t *p, unsigned long n, uint8_t v) {
    for (unsigned long i = 0; i < n; i++) p[i] = (uint8_t)(v + i);
}

__attribute__((noinline)) static void triple_in_place(uint32_t *p, long n) {
    for (long i = 0; i < n; i++) p[i] = p[i] * 3 + 1;
}

static uint64_t digest(const void *p, size_t n) {
    const uint8_t *q = p;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) h = mix(h, q[i]);
    return h;
}

static void reset(void) {
    for (int i = 0; i < N; i++) {
        a[i] = (uint32_t)(i * 2654435761u);
        b[i] = (uint32_t)(i * 40503u + 7);
        c[i] = (uint32_t)(i ^ 0x5a5a);
    }
}

static void results(void) {
    static const long lengths[] = {0, 1, 2, 3, 7, 8, 9, 100, 1000, N};
    for (int r = 0; r < 3; r++) {  /* again and again: hot enough for the upper tier */
        reset();
        for (unsigned i = 0; i < sizeof lengths / sizeof *lengths; i++) scale_add(a, b, 3 + i, lengths[i]);
        scale_add(a + 5, a, 7, 1000); /* overlapping: reads what it wrote */
        scale_add(a, a + 3, 5, 1000);
        uint64_t down = 0;
        for (unsigned i = 0; i < sizeof lengths / sizeof *lengths; i++) down = mix(down, sum_down(c, lengths[i]));
        int64_t st = 0;
        static const long steps[] = {1, 2, 3, 4, 7, 64};
        for (unsigned i = 0; i < sizeof steps / sizeof *steps; i++) {
            st += strided_signed((const int32_t *)b + 2048, -2000, 2000, steps[i]);
            st += strided_signed((const int32_t *)b + 2048, 5, 5, steps[i]);  /* none */
            st += strided_signed((const int32_t *)b + 2048, 10, 1, steps[i]);  /* starts past */
            st += strided_signed((const int32_t *)b + 2048, -3, 2, steps[i]);
        }
        uint64_t su = 0;
        for (unsigned i = 0; i < sizeof steps / sizeof *steps; i++) {
            /* Above `to` by at least a step before each step down: no wrap below zero. */
            su = mix(su, strided_unsigned_down((const uint16_t *)c, 2 * N - 1, 64, steps[i]));
            su = mix(su, strided_unsigned_down((const uint16_t *)c, 9 + 3 * steps[i], steps[i], steps[i]));
            su = mix(su, strided_unsigned_down((const uint16_t *)c, 3, 9, steps[i]));  /* starts past */
        }
        copy_words((uint64_t *)c, (const uint64_t *)b, (const uint64_t *)b + N / 2);
        copy_words((uint64_t *)c, (const uint64_t *)b, (const uint64_t *)b);
        /* libc's word copies, whose destination is the address the previous iteration advanced. */
        uint64_t copies = 0;
        for (int shift = 0; shift < 8; shift++) {
            memcpy((uint8_t *)c + shift, (const uint8_t *)b + 3, 4000 + shift);
            memmove((uint8_t *)c + 5, (const uint8_t *)c + shift, 3000);
            copies = mix(copies, digest(c, sizeof c));
        }
        /* Longer than a versioned loop may run (2^20 iterations): checked, with the same result. */
        fill_bytes(big, sizeof big, (uint8_t)r);
        fill_bytes(big + 3, 5, 0xee);
        printf("round %d: a %016llx c %016llx down %016llx strided %lld unsigned %016llx copies %016llx big %016llx\n",
               r, (unsigned long long)digest(a, sizeof a), (unsigned long long)digest(c, sizeof c),
               (unsigned long long)down, (long long)st, (unsigned long long)su, (unsigned long long)copies,
               (unsigned long long)digest(big, sizeof big));
    }
}

static sigjmp_buf recover;
static volatile uintptr_t fault_addr;

static void on_segv(int sig, siginfo_t *info, void *ctx) {
    (void)sig;
    (void)ctx;
    fault_addr = (uintptr_t)info->si_addr;
    siglongjmp(recover, 1);
}

/* A loop that runs off its mapping part-way: the stores before the fault land, the fault has the
 * first inaccessible address, and nothing after it is written. */
static void faults(long page) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    uint8_t *m = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        printf("mmap failed\n");
        return;
    }
    for (int round = 0; round < 3; round++) {
        mprotect(m, 3 * page, PROT_READ | PROT_WRITE);
        memset(m, 0, 3 * page);
        mprotect(m + page, page, PROT_NONE);  /* a hole after the first page */
        fault_addr = 0;
        if (!sigsetjmp(recover, 1)) fill_bytes(m + page - 40, 100, 1);
        long written = 0;
        for (long i = 0; i < page; i++) written += m[i] != 0;
        printf("fill into a hole: fault at page + %ld, %ld bytes written, last %d\n",
               (long)(fault_addr - (uintptr_t)(m + page)), written, m[page - 1]);

        mprotect(m + page, page, PROT_READ | PROT_WRITE);
        for (long i = 0; i < N; i++) ((uint32_t *)(m + page))[i % (page / 4)] = (uint32_t)i;
        mprotect(m + page, page, PROT_READ);  /* readable, not writable */
        fault_addr = 0;
        uint32_t *p = (uint32_t *)(m + page) - 6;
        for (int i = 0; i < 6; i++) p[i] = 10 + i;
        if (!sigsetjmp(recover, 1)) triple_in_place(p, 20);
        printf("triple into read-only: fault at page + %ld, words %u %u %u, next %u\n",
               (long)(fault_addr - (uintptr_t)(m + page)), p[0], p[5], ((uint32_t *)(m + page))[0],
               ((uint32_t *)(m + page))[1]);
    }
    munmap(m, 3 * page);
    signal(SIGSEGV, SIG_DFL);
}

/* A loop that stores into a page translated code comes from: each version of the function runs. */
static void self_modifying(void) {
    uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        printf("mmap failed\n");
        return;
    }
    uint64_t sum = 0;
    for (uint32_t k = 0; k < 200; k++) {
        const uint64_t body[2] = {
            0x0000806700000513ull | ((uint64_t)(k & 0x7ff) << 20),  /* li a0, k; ret */
            0x0000806700000513ull | ((uint64_t)((k * 3) & 0x7ff) << 20),
        };
        copy_words((uint64_t *)code, body, body + 2);
        __asm__ volatile("fence.i" ::: "memory");
        long (*fn)(void) = (long (*)(void))code;
        long (*fn2)(void) = (long (*)(void))(code + 2);
        sum = sum * 1000003 + (uint64_t)fn() * 7 + (uint64_t)fn2();
    }
    printf("self-modifying: %016llx\n", (unsigned long long)sum);
    munmap(code, 4096);
}

int main(void) {
    results();
    faults(sysconf(_SC_PAGESIZE));
    self_modifying();
    return 0;
}
