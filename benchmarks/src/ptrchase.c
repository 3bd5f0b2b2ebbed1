/* ptrchase: follows pointers around one random cycle through 4 MiB of 64-byte nodes (a cyclic
 * permutation from Sattolo's algorithm), so every load depends on the previous one and lands on
 * a different cache line. Stresses load latency, the guest TLB and the emulator's memory path;
 * checks that the cycle returns to its start after exactly kNodes steps. */
#include <stdlib.h>

#include "bench.h"

enum { kNodes = 64 * 1024, kLaps = 48 };

struct Node {
    struct Node* next;
    uint64_t payload;
    uint64_t pad[6]; /* one node per 64-byte cache line */
};

int main(void) {
    struct Node* nodes = malloc(kNodes * sizeof *nodes);
    uint32_t* order = malloc(kNodes * sizeof *order);
    if (!nodes || !order) {
        printf("ptrchase: out of memory\n");
        return 1;
    }
    /* Sattolo: a uniformly random permutation with a single cycle through all nodes. */
    for (uint32_t i = 0; i < kNodes; i++) order[i] = i;
    for (uint32_t i = kNodes - 1; i > 0; i--) {
        uint32_t j = bench_rand() % i;
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i < kNodes; i++) {
        nodes[i].next = &nodes[order[i]];
        nodes[i].payload = (uint64_t)i * 0x9E3779B97F4A7C15ull;
    }

    uint64_t sum = 0;
    struct Node* p = &nodes[0];
    for (int lap = 0; lap < kLaps; lap++) {
        uint64_t lap_sum = 0;
        for (uint32_t s = 0; s < kNodes; s++) {
            p = p->next;
            lap_sum += p->payload ^ s;
            if (lap == 0 && p == &nodes[0] && s + 1 != kNodes) {
                printf("ptrchase: cycle closed after %u of %u steps\n", s + 1, (unsigned)kNodes);
                return 1;
            }
        }
        if (p != &nodes[0]) {
            printf("ptrchase: lap %d did not return to the start\n", lap);
            return 1;
        }
        sum = sum * 1000003 + lap_sum;
        p->payload += (uint64_t)lap; /* each lap sums something different */
    }
    free(order);
    free(nodes);
    return bench_report("ptrchase", sum);
}
