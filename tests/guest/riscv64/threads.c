/* threads: POSIX threads and C11 atomics, with output that does not depend on scheduling.
 * Checks pthread_create/join and return values, thread-local storage (each thread's tp),
 * C11 atomic fetch_add / compare_exchange / exchange (RISC-V AMOs and LR/SC) under contention,
 * a mutex-protected counter, a bounded producer/consumer queue on condition variables
 * (futex wait/wake), pthread_once and a barrier. All printing happens in main after joins. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

enum { kThreads = 4, kIncrements = 20000, kItems = 2000, kQueue = 8 };

static atomic_long atomic_counter;
static atomic_int cas_counter;
static atomic_uint_least64_t xor_acc;
static long mutex_counter;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local long tls_value = 7;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_int once_runs;
static pthread_barrier_t barrier;
static atomic_int after_barrier_errors;
static atomic_int arrived;

static void once_init(void) { atomic_fetch_add(&once_runs, 1); }

struct WorkerResult {
    long tls_sum;
    long id;
};

static void *worker(void *arg)
{
    long id = (long)(intptr_t)arg;
    pthread_once(&once, once_init);
    tls_value = id * 100; /* each thread sees its own copy */
    for (int i = 0; i < kIncrements; i++) {
        atomic_fetch_add_explicit(&atomic_counter, 1, memory_order_relaxed);
        int old = atomic_load(&cas_counter);
        while (!atomic_compare_exchange_weak(&cas_counter, &old, old + 2)) {
        }
        atomic_fetch_xor(&xor_acc, (uint64_t)(id + 1) << (i % 60));
        pthread_mutex_lock(&counter_lock);
        mutex_counter += 3;
        pthread_mutex_unlock(&counter_lock);
        tls_value += 1;
    }
    atomic_fetch_add(&arrived, 1);
    pthread_barrier_wait(&barrier);
    /* Everyone has passed the same barrier, so all must have arrived. */
    if (atomic_load(&arrived) != kThreads)
        atomic_fetch_add(&after_barrier_errors, 1);
    static struct WorkerResult results[kThreads];
    results[id].tls_sum = tls_value;
    results[id].id = id;
    return &results[id];
}

/* Bounded queue: one producer, two consumers, condition variables for full/empty. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    int buf[kQueue];
    int head, count, produced_all;
} q = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, {0}, 0, 0, 0};

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= kItems; i++) {
        pthread_mutex_lock(&q.lock);
        while (q.count == kQueue)
            pthread_cond_wait(&q.not_full, &q.lock);
        q.buf[(q.head + q.count) % kQueue] = i;
        q.count++;
        pthread_cond_signal(&q.not_empty);
        pthread_mutex_unlock(&q.lock);
    }
    pthread_mutex_lock(&q.lock);
    q.produced_all = 1;
    pthread_cond_broadcast(&q.not_empty);
    pthread_mutex_unlock(&q.lock);
    return NULL;
}

struct ConsumerResult {
    long sum;
    long count;
    int in_order;
};

static void *consumer(void *arg)
{
    struct ConsumerResult *r = arg;
    int last = 0;
    r->in_order = 1;
    for (;;) {
        pthread_mutex_lock(&q.lock);
        while (q.count == 0 && !q.produced_all)
            pthread_cond_wait(&q.not_empty, &q.lock);
        if (q.count == 0 && q.produced_all) {
            pthread_mutex_unlock(&q.lock);
            return NULL;
        }
        int v = q.buf[q.head];
        q.head = (q.head + 1) % kQueue;
        q.count--;
        pthread_cond_signal(&q.not_full);
        pthread_mutex_unlock(&q.lock);
        /* One producer, FIFO queue: each consumer sees increasing values. */
        if (v <= last)
            r->in_order = 0;
        last = v;
        r->sum += v;
        r->count++;
    }
}

int main(void)
{
    pthread_t t[kThreads];
    pthread_barrier_init(&barrier, NULL, kThreads);
    for (long i = 0; i < kThreads; i++)
        if (pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    for (int i = 0; i < kThreads; i++) {
        struct WorkerResult *r;
        pthread_join(t[i], (void **)&r);
        printf("worker %ld: tls=%ld\n", r->id, r->tls_sum);
    }
    printf("main tls=%ld (untouched by workers)\n", tls_value);
    printf("atomic counter=%ld (expect %d)\n", atomic_load(&atomic_counter),
           kThreads * kIncrements);
    printf("cas counter=%d (expect %d)\n", atomic_load(&cas_counter), 2 * kThreads * kIncrements);
    printf("xor acc=%016llx\n", (unsigned long long)atomic_load(&xor_acc));
    printf("mutex counter=%ld (expect %d)\n", mutex_counter, 3 * kThreads * kIncrements);
    printf("pthread_once ran %d time(s)\n", atomic_load(&once_runs));
    printf("barrier errors=%d\n", atomic_load(&after_barrier_errors));
    pthread_barrier_destroy(&barrier);

    pthread_t p, c[2];
    struct ConsumerResult cr[2] = {{0, 0, 0}, {0, 0, 0}};
    pthread_create(&p, NULL, producer, NULL);
    pthread_create(&c[0], NULL, consumer, &cr[0]);
    pthread_create(&c[1], NULL, consumer, &cr[1]);
    pthread_join(p, NULL);
    pthread_join(c[0], NULL);
    pthread_join(c[1], NULL);
    printf("queue: total items=%ld sum=%ld (expect %d %d) in order=%d\n",
           cr[0].count + cr[1].count, cr[0].sum + cr[1].sum, kItems, kItems * (kItems + 1) / 2,
           cr[0].in_order && cr[1].in_order);

    /* Exchange: a spin lock built on atomic_exchange. */
    static atomic_int spin;
    int prev1 = atomic_exchange(&spin, 1);
    int prev2 = atomic_exchange(&spin, 1);
    atomic_store(&spin, 0);
    printf("exchange: %d %d\n", prev1, prev2);
    return 0;
}
