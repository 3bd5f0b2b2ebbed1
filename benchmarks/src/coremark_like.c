/* coremark_like: the mix of integer kernels that CoreMark popularised, written from scratch for
 * Mimic (no CoreMark code): a linked list that is searched, reversed and merge-sorted, small
 * 16-bit matrix arithmetic, a number-recognising state machine over a text, and a CRC-16 over all
 * results. Stresses pointer-heavy loads, short branchy loops and 16/32-bit arithmetic. */
#include <string.h>

#include "bench.h"

enum { kNodes = 96, kDim = 12, kTextLen = 1536, kIterations = 4000 };

/* CRC-16/CCITT-FALSE, bitwise; it folds every kernel's results into one value. */
static uint16_t crc16_byte(uint16_t crc, uint8_t byte) {
    crc ^= (uint16_t)(byte << 8);
    for (int i = 0; i < 8; i++) crc = (crc & 0x8000) ? (uint16_t)(crc << 1 ^ 0x1021) : (uint16_t)(crc << 1);
    return crc;
}

static uint16_t crc16_u32(uint16_t crc, uint32_t v) {
    for (int i = 0; i < 4; i++) crc = crc16_byte(crc, (uint8_t)(v >> (8 * i)));
    return crc;
}

/* ---- linked list ---- */

struct Node {
    struct Node* next;
    int16_t key;
    int16_t value;
};

static struct Node pool[kNodes];

static struct Node* list_build(uint32_t seed) {
    struct Node* head = NULL;
    for (int i = kNodes - 1; i >= 0; i--) {
        seed = seed * 1103515245u + 12345u;
        pool[i].key = (int16_t)((seed >> 16) & 0x3ff);
        pool[i].value = (int16_t)(seed >> 8);
        pool[i].next = head;
        head = &pool[i];
    }
    return head;
}

/* Position of the first node with this key, or -1. */
static int list_find(const struct Node* n, int16_t key) {
    for (int pos = 0; n; n = n->next, pos++)
        if (n->key == key) return pos;
    return -1;
}

static struct Node* list_reverse(struct Node* n) {
    struct Node* prev = NULL;
    while (n) {
        struct Node* next = n->next;
        n->next = prev;
        prev = n;
        n = next;
    }
    return prev;
}

static int node_less(const struct Node* a, const struct Node* b, int by_value) {
    return by_value ? (a->value < b->value || (a->value == b->value && a->key < b->key))
                    : (a->key < b->key || (a->key == b->key && a->value < b->value));
}

/* Recursive merge sort: split by slow/fast pointers, merge with a dummy head. */
static struct Node* list_sort(struct Node* head, int by_value) {
    if (!head || !head->next) return head;
    struct Node *slow = head, *fast = head->next;
    while (fast && fast->next) {
        slow = slow->next;
        fast = fast->next->next;
    }
    struct Node* right = slow->next;
    slow->next = NULL;
    struct Node* a = list_sort(head, by_value);
    struct Node* b = list_sort(right, by_value);
    struct Node dummy = {NULL, 0, 0}, *tail = &dummy;
    while (a && b) {
        if (node_less(b, a, by_value)) {
            tail->next = b;
            b = b->next;
        } else {
            tail->next = a;
            a = a->next;
        }
        tail = tail->next;
    }
    tail->next = a ? a : b;
    return dummy.next;
}

static int list_sorted(const struct Node* n, int by_value) {
    for (; n && n->next; n = n->next)
        if (node_less(n->next, n, by_value)) return 0;
    return 1;
}

static uint16_t list_kernel(uint32_t seed, uint16_t crc, int* ok) {
    struct Node* head = list_build(seed);
    int found = 0, missing = 0;
    for (int i = 0; i < 12; i++) {
        int pos = list_find(head, (int16_t)((seed >> i) & 0x3ff));
        if (pos < 0)
            missing++;
        else
            found += pos;
    }
    int16_t first = head->key;
    head = list_reverse(head);
    head = list_reverse(head);
    if (head->key != first) *ok = 0;
    head = list_sort(head, 0);
    if (!list_sorted(head, 0)) *ok = 0;
    crc = crc16_u32(crc, (uint32_t)found << 8 | (uint32_t)missing);
    for (const struct Node* n = head; n; n = n->next) crc = crc16_u32(crc, (uint16_t)n->key);
    head = list_sort(head, 1);
    if (!list_sorted(head, 1)) *ok = 0;
    int count = 0;
    for (const struct Node* n = head; n; n = n->next, count++)
        if ((count & 7) == 0) crc = crc16_u32(crc, (uint16_t)n->value);
    if (count != kNodes) *ok = 0;
    return crc;
}

/* ---- matrices ---- */

static int16_t ma[kDim][kDim], mb[kDim][kDim];
static int32_t mc[kDim][kDim];

static uint16_t matrix_kernel(uint32_t seed, uint16_t crc) {
    for (int i = 0; i < kDim; i++)
        for (int j = 0; j < kDim; j++) {
            seed = seed * 1664525u + 1013904223u;
            ma[i][j] = (int16_t)((seed >> 20) - 2048);
            mb[i][j] = (int16_t)((seed >> 8) & 0xfff);
        }
    int16_t k = (int16_t)(seed & 0xff) | 1;
    /* A += k, then C = A * k, then C = A * v, then C = A * B, then bit fields of A * B. */
    for (int i = 0; i < kDim; i++)
        for (int j = 0; j < kDim; j++) ma[i][j] = (int16_t)(ma[i][j] + k);
    int32_t acc = 0;
    for (int i = 0; i < kDim; i++)
        for (int j = 0; j < kDim; j++) acc += (int32_t)ma[i][j] * k;
    crc = crc16_u32(crc, (uint32_t)acc);
    for (int i = 0; i < kDim; i++) {
        int32_t s = 0;
        for (int j = 0; j < kDim; j++) s += (int32_t)ma[i][j] * mb[j][0];
        crc = crc16_u32(crc, (uint32_t)s);
    }
    for (int i = 0; i < kDim; i++)
        for (int j = 0; j < kDim; j++) {
            int32_t s = 0;
            for (int x = 0; x < kDim; x++) s += (int32_t)ma[i][x] * mb[x][j];
            mc[i][j] = s;
        }
    uint32_t fields = 0;
    for (int i = 0; i < kDim; i++)
        for (int j = 0; j < kDim; j++) {
            fields += ((uint32_t)mc[i][j] >> 3) & 0x7f;
            fields ^= ((uint32_t)mc[i][j] >> 11) & 0x3f;
        }
    crc = crc16_u32(crc, fields);
    for (int i = 0; i < kDim; i++) crc = crc16_u32(crc, (uint32_t)mc[i][i]);
    return crc;
}

/* ---- state machine ---- */

enum State { kStart, kSign, kInt, kDot, kFrac, kExp, kExpSign, kExpInt, kHex0, kHex, kInvalid, kStates };

static char text[kTextLen + 1];

static void text_build(void) {
    static const char* samples[] = {"42", "-17", "3.25", "+0.5", "6e10", "-7.5E-3", "0x1F", "0xbeef",
                                    "1.", ".5",  "12a",  "--3",  "0x",   "9e+",     "100",  "e5"};
    size_t len = 0;
    for (int i = 0; len + 10 < kTextLen; i++) {
        const char* s = samples[bench_rand() % 16];
        size_t n = strlen(s);
        memcpy(text + len, s, n);
        len += n;
        text[len++] = ',';
    }
    text[len] = '\0';
}

static enum State step(enum State s, char c) {
    int digit = c >= '0' && c <= '9';
    int hex = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    switch (s) {
        case kStart:
            if (c == '+' || c == '-') return kSign;
            if (c == '0') return kHex0;
            if (digit) return kInt;
            if (c == '.') return kDot;
            return kInvalid;
        case kSign: return digit ? kInt : c == '.' ? kDot : kInvalid;
        case kHex0:
            if (c == 'x' || c == 'X') return kHex;
            if (digit) return kInt;
            if (c == '.') return kFrac;
            return c == 'e' || c == 'E' ? kExp : kInvalid;
        case kInt:
            if (digit) return kInt;
            if (c == '.') return kFrac;
            return c == 'e' || c == 'E' ? kExp : kInvalid;
        case kDot: return digit ? kFrac : kInvalid;
        case kFrac:
            if (digit) return kFrac;
            return c == 'e' || c == 'E' ? kExp : kInvalid;
        case kExp: return digit ? kExpInt : (c == '+' || c == '-') ? kExpSign : kInvalid;
        case kExpSign: return digit ? kExpInt : kInvalid;
        case kExpInt: return digit ? kExpInt : kInvalid;
        case kHex: return hex ? kHex : kInvalid;
        default: return kInvalid;
    }
}

static enum State classify(const char* s) {
    enum State st = kStart;
    for (; *s; s++) st = step(st, *s);
    return st;
}

static uint16_t state_kernel(uint32_t seed, uint16_t crc, int* ok) {
    uint32_t final_count[kStates] = {0}, transitions = 0, tokens = 0;
    enum State s = kStart;
    for (const char* p = text; *p; p++) {
        if (*p == ',') {
            final_count[s]++;
            tokens++;
            s = kStart;
            continue;
        }
        enum State next = step(s, *p);
        transitions += next != s;
        s = next;
    }
    uint32_t total = 0;
    for (int i = 0; i < kStates; i++) {
        total += final_count[i];
        crc = crc16_u32(crc, final_count[i]);
    }
    if (total != tokens) *ok = 0;
    crc = crc16_u32(crc, transitions);
    /* Corrupt a few characters so that the next iteration classifies a different text. */
    for (int i = 0; i < 4; i++) {
        seed = seed * 22695477u + 1u;
        size_t at = (seed >> 8) % kTextLen;
        if (text[at] != ',' && text[at] != '\0') text[at] = "0123456789.eEx+-a"[(seed >> 3) % 17];
    }
    return crc;
}

int main(void) {
    uint16_t check = 0xffff;
    for (const char* p = "123456789"; *p; p++) check = crc16_byte(check, (uint8_t)*p);
    if (check != 0x29b1) {
        printf("coremark_like: CRC-16 self-test failed: %04x\n", check);
        return 1;
    }
    static const char* known[] = {"42", "-7.5E-3", "0xbeef", ".5", "12a", "9e+", "--3"};
    static const enum State want[] = {kInt, kExpInt, kHex, kFrac, kInvalid, kExpSign, kInvalid};
    for (int i = 0; i < 7; i++)
        if (classify(known[i]) != want[i]) {
            printf("coremark_like: state machine self-test failed on %s\n", known[i]);
            return 1;
        }
    text_build();
    uint16_t crc = 0xffff;
    uint64_t sum = 0;
    int ok = 1;
    for (int it = 0; it < kIterations; it++) {
        uint32_t seed = bench_rand();
        crc = list_kernel(seed, crc, &ok);
        crc = matrix_kernel(seed, crc);
        crc = state_kernel(seed, crc, &ok);
        sum = sum * 65537 + crc;
    }
    if (!ok) {
        printf("coremark_like: self-check failed\n");
        return 1;
    }
    return bench_report("coremark_like", sum);
}
