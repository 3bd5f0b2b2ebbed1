/* interp: a small stack-machine bytecode interpreter (switch dispatch) running two loop-heavy
 * programs, Collatz step counts and a sieve of Eratosthenes, each checked against the same
 * computation in C. Stresses the indirect branch of the dispatch switch, a memory-resident
 * operand stack and unpredictable branches: what a guest's own interpreter or JIT-less VM does. */
#include "bench.h"

enum { kCollatzLimit = 12000, kSieveLimit = 60000, kSieveRounds = 5, kCodeMax = 256, kStackMax = 64 };

enum Op {
    kPush,  /* push arg */
    kLoad,  /* push local[arg] */
    kStore, /* local[arg] = pop */
    kInc,   /* local[arg] += 1 */
    kAdd,
    kSub,
    kMul,
    kAnd,
    kShr, /* a >> b (logical) */
    kLt,  /* a < b (signed) */
    kEq,
    kJmp, /* pc = arg */
    kJz,  /* if pop == 0: pc = arg */
    kJnz,
    kLdm, /* push mem[pop] */
    kStm, /* mem[a] = b; pops b, then a */
    kHalt,
};

struct Insn {
    int32_t op, arg;
};

struct Program {
    struct Insn code[kCodeMax];
    int n;
    int patch[16][8], npatch[16], label[16];
};

static void emit(struct Program* p, enum Op op, int32_t arg) {
    p->code[p->n].op = op;
    p->code[p->n].arg = arg;
    p->n++;
}

/* Jumps name labels 0-15; bind() resolves the jumps already emitted and records the address. */
static void jump(struct Program* p, enum Op op, int label) {
    if (p->label[label] >= 0) {
        emit(p, op, p->label[label]);
        return;
    }
    p->patch[label][p->npatch[label]++] = p->n;
    emit(p, op, -1);
}

static void bind(struct Program* p, int label) {
    p->label[label] = p->n;
    for (int i = 0; i < p->npatch[label]; i++) p->code[p->patch[label][i]].arg = p->n;
}

static void program_init(struct Program* p) {
    p->n = 0;
    for (int i = 0; i < 16; i++) {
        p->npatch[i] = 0;
        p->label[i] = -1;
    }
}

static int64_t run(const struct Program* prog, int64_t* local, int64_t* mem) {
    int64_t stack[kStackMax];
    int sp = 0;
    const struct Insn* code = prog->code;
    for (int pc = 0;;) {
        const struct Insn in = code[pc++];
        switch (in.op) {
            case kPush: stack[sp++] = in.arg; break;
            case kLoad: stack[sp++] = local[in.arg]; break;
            case kStore: local[in.arg] = stack[--sp]; break;
            case kInc: local[in.arg]++; break;
            case kAdd: sp--, stack[sp - 1] += stack[sp]; break;
            case kSub: sp--, stack[sp - 1] -= stack[sp]; break;
            case kMul: sp--, stack[sp - 1] *= stack[sp]; break;
            case kAnd: sp--, stack[sp - 1] &= stack[sp]; break;
            case kShr: sp--, stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] >> stack[sp]); break;
            case kLt: sp--, stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
            case kEq: sp--, stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
            case kJmp: pc = in.arg; break;
            case kJz: pc = stack[--sp] == 0 ? in.arg : pc; break;
            case kJnz: pc = stack[--sp] != 0 ? in.arg : pc; break;
            case kLdm: stack[sp - 1] = mem[stack[sp - 1]]; break;
            case kStm: sp -= 2, mem[stack[sp]] = stack[sp + 1]; break;
            case kHalt: return sp ? stack[sp - 1] : 0;
            default: return -1;
        }
    }
}

/* locals: 0 i, 1 n, 2 steps, 3 total, 4 max steps. Returns total steps for 1 <= i < limit. */
static void build_collatz(struct Program* p, int32_t limit) {
    enum { I, N, Steps, Total, Max };
    enum { LoopI, Done, LoopN, EndN, Even, Next, NoMax };
    program_init(p);
    emit(p, kPush, 1), emit(p, kStore, I);
    bind(p, LoopI);
    emit(p, kLoad, I), emit(p, kPush, limit), emit(p, kLt, 0), jump(p, kJz, Done);
    emit(p, kLoad, I), emit(p, kStore, N), emit(p, kPush, 0), emit(p, kStore, Steps);
    bind(p, LoopN);
    emit(p, kLoad, N), emit(p, kPush, 1), emit(p, kEq, 0), jump(p, kJnz, EndN);
    emit(p, kLoad, N), emit(p, kPush, 1), emit(p, kAnd, 0), jump(p, kJz, Even);
    emit(p, kLoad, N), emit(p, kPush, 3), emit(p, kMul, 0), emit(p, kPush, 1), emit(p, kAdd, 0);
    emit(p, kStore, N), jump(p, kJmp, Next);
    bind(p, Even);
    emit(p, kLoad, N), emit(p, kPush, 1), emit(p, kShr, 0), emit(p, kStore, N);
    bind(p, Next);
    emit(p, kInc, Steps), jump(p, kJmp, LoopN);
    bind(p, EndN);
    emit(p, kLoad, Total), emit(p, kLoad, Steps), emit(p, kAdd, 0), emit(p, kStore, Total);
    emit(p, kLoad, Max), emit(p, kLoad, Steps), emit(p, kLt, 0), jump(p, kJz, NoMax);
    emit(p, kLoad, Steps), emit(p, kStore, Max);
    bind(p, NoMax);
    emit(p, kInc, I), jump(p, kJmp, LoopI);
    bind(p, Done);
    emit(p, kLoad, Total), emit(p, kHalt, 0);
}

/* locals: 0 i, 1 j, 2 count. mem[0..limit) is cleared first; returns the primes below limit. */
static void build_sieve(struct Program* p, int32_t limit) {
    enum { I, J, Count };
    enum { Clear, Cleared, LoopI, Done, Composite, LoopJ, EndJ };
    program_init(p);
    emit(p, kPush, 0), emit(p, kStore, I);
    bind(p, Clear);
    emit(p, kLoad, I), emit(p, kPush, limit), emit(p, kLt, 0), jump(p, kJz, Cleared);
    emit(p, kLoad, I), emit(p, kPush, 0), emit(p, kStm, 0), emit(p, kInc, I), jump(p, kJmp, Clear);
    bind(p, Cleared);
    emit(p, kPush, 2), emit(p, kStore, I), emit(p, kPush, 0), emit(p, kStore, Count);
    bind(p, LoopI);
    emit(p, kLoad, I), emit(p, kPush, limit), emit(p, kLt, 0), jump(p, kJz, Done);
    emit(p, kLoad, I), emit(p, kLdm, 0), jump(p, kJnz, Composite);
    emit(p, kInc, Count);
    emit(p, kLoad, I), emit(p, kLoad, I), emit(p, kMul, 0), emit(p, kStore, J);
    bind(p, LoopJ);
    emit(p, kLoad, J), emit(p, kPush, limit), emit(p, kLt, 0), jump(p, kJz, EndJ);
    emit(p, kLoad, J), emit(p, kPush, 1), emit(p, kStm, 0);
    emit(p, kLoad, J), emit(p, kLoad, I), emit(p, kAdd, 0), emit(p, kStore, J), jump(p, kJmp, LoopJ);
    bind(p, EndJ);
    bind(p, Composite);
    emit(p, kInc, I), jump(p, kJmp, LoopI);
    bind(p, Done);
    emit(p, kLoad, Count), emit(p, kHalt, 0);
}

static int64_t collatz_in_c(int64_t limit, int64_t* max_steps) {
    int64_t total = 0;
    *max_steps = 0;
    for (int64_t i = 1; i < limit; i++) {
        int64_t n = i, steps = 0;
        for (; n != 1; steps++) n = (n & 1) ? 3 * n + 1 : n >> 1;
        total += steps;
        if (steps > *max_steps) *max_steps = steps;
    }
    return total;
}

static int64_t mem[kSieveLimit];
static unsigned char composite[kSieveLimit];

static int64_t primes_in_c(int64_t limit) {
    int64_t count = 0;
    for (int64_t i = 2; i < limit; i++) {
        if (composite[i]) continue;
        count++;
        for (int64_t j = i * i; j < limit; j += i) composite[j] = 1;
    }
    return count;
}

int main(void) {
    static struct Program prog;
    int64_t local[8] = {0};
    /* Known answer: 25 primes below 100. */
    build_sieve(&prog, 100);
    if (run(&prog, local, mem) != 25) {
        printf("interp: sieve self-test failed\n");
        return 1;
    }

    build_collatz(&prog, kCollatzLimit);
    for (int i = 0; i < 8; i++) local[i] = 0;
    int64_t total = run(&prog, local, mem), want_max;
    if (total != collatz_in_c(kCollatzLimit, &want_max) || local[4] != want_max) {
        printf("interp: collatz total %lld is wrong\n", (long long)total);
        return 1;
    }
    uint64_t sum = (uint64_t)total << 20 ^ (uint64_t)local[4];

    build_sieve(&prog, kSieveLimit);
    const int64_t want = primes_in_c(kSieveLimit);
    for (int r = 0; r < kSieveRounds; r++) {
        int64_t primes = run(&prog, local, mem);
        if (primes != want) {
            printf("interp: sieve found %lld primes, not %lld\n", (long long)primes, (long long)want);
            return 1;
        }
        sum = sum * 1000003 + (uint64_t)primes;
    }
    return bench_report("interp", sum);
}
