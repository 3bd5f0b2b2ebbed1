// Run on Mimic's Linux guest with -smp 4 (tests/system/linux_session.py): threads on every hart
// update shared counters with AMOs (amoadd), with LR/SC (a compare-and-swap loop), and under a
// spinlock taken with amoswap. Any lost update shows in the totals it prints.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t amo_counter;
static uint64_t lrsc_counter;
static uint64_t locked_counter;
static uint32_t lock_word;
static long iterations;

static void lrsc_increment(uint64_t* p) {
    uint64_t old, fail;
    __asm__ volatile(
        "1: lr.d.aq %0, (%2)\n"
        "   addi %0, %0, 1\n"
        "   sc.d.rl %1, %0, (%2)\n"
        "   bnez %1, 1b\n"
        : "=&r"(old), "=&r"(fail)
        : "r"(p)
        : "memory");
}

static void* worker(void* arg) {
    (void)arg;
    for (long i = 0; i < iterations; ++i) {
        __atomic_fetch_add(&amo_counter, 1, __ATOMIC_RELAXED);
        lrsc_increment(&lrsc_counter);
        while (__atomic_exchange_n(&lock_word, 1, __ATOMIC_ACQUIRE)) {
        }
        locked_counter = locked_counter + 1;  // plain load and store, inside the lock
        __atomic_store_n(&lock_word, 0, __ATOMIC_RELEASE);
    }
    return NULL;
}

int main(int argc, char** argv) {
    const int threads = argc > 1 ? atoi(argv[1]) : 4;
    iterations = argc > 2 ? atol(argv[2]) : 100000;
    if (threads < 1 || threads > 64 || iterations < 1) return 2;
    pthread_t t[64];
    for (int i = 0; i < threads; ++i) pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < threads; ++i) pthread_join(t[i], NULL);
    printf("amoadd %llu lrsc %llu amoswap-lock %llu\n", (unsigned long long)amo_counter,
           (unsigned long long)lrsc_counter, (unsigned long long)locked_counter);
    return 0;
}
