/* Guest side of the RISC-V random-instruction differential test: runs each test case (initial
 * registers, fcsr, scratch memory, instruction block) and prints the final state as text. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "riscv_harness_layout.h"

extern void riscv_harness_enter(void* code, void* state);
extern void riscv_harness_signal_entry(int sig, siginfo_t* info, void* uc);
extern const uint8_t riscv_harness_prologue[], riscv_harness_prologue_end[];
extern const uint8_t riscv_harness_epilogue[], riscv_harness_epilogue_end[];

enum { kMaxBlockBytes = 0x8000 };

struct TestCase {
    uint64_t x[32];
    uint64_t f[32];
    uint64_t fcsr;
    uint64_t mem[RH_SCRATCH_SIZE / 8];
    uint8_t code[kMaxBlockBytes];
    size_t code_size;
};

static sigjmp_buf g_jump;
static volatile sig_atomic_t g_armed;
static volatile int g_signal;
static volatile uint64_t g_signal_pc, g_signal_addr;

/* Called (via riscv_harness_signal_entry) with gp/tp already restored. */
void riscv_harness_on_signal(int sig, siginfo_t* info, void* uc_void) {
    ucontext_t* uc = uc_void;
    if (!g_armed) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    g_signal = sig;
    g_signal_pc = uc->uc_mcontext.__gregs[0];
    g_signal_addr = (uint64_t)(uintptr_t)info->si_addr;
    g_armed = 0;
    siglongjmp(g_jump, 1);
}

static void* map_fixed(uintptr_t addr, size_t size, int prot) {
    void* want = (void*)addr;
    void* got = mmap(want, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (got != want) {
        /* Older kernels/emulators may not know MAP_FIXED_NOREPLACE; nothing else lives here in a
         * static binary, so plain MAP_FIXED is safe. */
        if (got != MAP_FAILED) munmap(got, size);
        got = mmap(want, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    }
    if (got != want) {
        fprintf(stderr, "riscv_harness: cannot map %#lx\n", (unsigned long)addr);
        exit(2);
    }
    return got;
}

static void install_signal_handlers(void) {
    static uint8_t alt_stack[64 * 1024];
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) {
        perror("riscv_harness: sigaltstack");
        exit(2);
    }
    static const int kSignals[] = {SIGILL, SIGSEGV, SIGBUS, SIGFPE, SIGTRAP};
    for (size_t i = 0; i < sizeof kSignals / sizeof kSignals[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = riscv_harness_signal_entry;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
        sigaction(kSignals[i], &sa, NULL);
    }
}

static int fail_parse(int line, const char* text) {
    fprintf(stderr, "riscv_harness: bad input line %d: %s", line, text);
    exit(2);
}

/* Input format, one item per line: "case N", "xI HEX", "fI HEX", "fcsr HEX", "mI HEX" (64-bit
 * scratch word I), "code TOKEN..." (4 hex digits = 16-bit parcel, 8 = 32-bit word), "end". */
static int read_case(FILE* in, struct TestCase* tc, long* number, int* line_no) {
    char line[4096];
    int started = 0;
    while (fgets(line, sizeof line, in)) {
        ++*line_no;
        char key[16];
        unsigned idx;
        unsigned long long value;
        if (line[0] == '#' || line[0] == '\n') continue;
        if (sscanf(line, "case %ld", number) == 1) {
            memset(tc, 0, sizeof *tc);
            started = 1;
        } else if (!started) {
            fail_parse(*line_no, line);
        } else if (strncmp(line, "end", 3) == 0) {
            return 1;
        } else if (strncmp(line, "code", 4) == 0) {
            char* p = line + 4;
            for (;;) {
                char* endp;
                while (*p == ' ' || *p == '\t') p++;
                if (*p == '\n' || *p == '\0') break;
                unsigned long word = strtoul(p, &endp, 16);
                size_t digits = (size_t)(endp - p);
                size_t bytes = digits / 2;
                if ((digits != 4 && digits != 8) || tc->code_size + bytes > kMaxBlockBytes) fail_parse(*line_no, line);
                for (size_t i = 0; i < bytes; i++) tc->code[tc->code_size++] = (uint8_t)(word >> (8 * i));
                p = endp;
            }
        } else if (sscanf(line, "fcsr %llx", &value) == 1) {
            tc->fcsr = value;
        } else if (sscanf(line, "%1[xfm]%u %llx", key, &idx, &value) == 3) {
            if (key[0] == 'x' && idx < 32)
                tc->x[idx] = value;
            else if (key[0] == 'f' && idx < 32)
                tc->f[idx] = value;
            else if (key[0] == 'm' && idx < RH_SCRATCH_SIZE / 8)
                tc->mem[idx] = value;
            else
                fail_parse(*line_no, line);
        } else {
            fail_parse(*line_no, line);
        }
    }
    if (started) fail_parse(*line_no, "missing end\n");
    return 0;
}

static void run_case(const struct TestCase* tc, long number, uint8_t* code, uint8_t* state) {
    size_t pro = (size_t)(riscv_harness_prologue_end - riscv_harness_prologue);
    size_t epi = (size_t)(riscv_harness_epilogue_end - riscv_harness_epilogue);
    memcpy(code, riscv_harness_prologue, pro);
    memcpy(code + pro, tc->code, tc->code_size);
    memcpy(code + pro + tc->code_size, riscv_harness_epilogue, epi);
    /* The same page is rewritten for every case: the emulator must drop stale translations. */
    __asm__ volatile("fence.i" ::: "memory");

    memset(state, 0, RH_STATE_SIZE);
    memcpy(state, tc->mem, sizeof tc->mem);
    uint64_t* x = (uint64_t*)(state + RH_OFF_X);
    uint64_t* f = (uint64_t*)(state + RH_OFF_F);
    for (int i = 0; i < 32; i++) x[i] = tc->x[i];
    x[0] = 0;
    x[2] = RH_STATE_ADDR;
    for (int i = 0; i < 32; i++) f[i] = tc->f[i];
    *(uint64_t*)(state + RH_OFF_FCSR) = tc->fcsr;

    printf("case %ld\n", number);
    if (sigsetjmp(g_jump, 1) == 0) {
        g_armed = 1;
        riscv_harness_enter(code, state);
        g_armed = 0;
    } else {
        __asm__ volatile("fscsr zero");
        uintptr_t block = (uintptr_t)code + pro;
        uint64_t pc = g_signal_pc;
        if (pc >= block && pc < block + tc->code_size)
            printf("signal %d pc block+%#llx addr %#llx\n", g_signal, (unsigned long long)(pc - block),
                   (unsigned long long)g_signal_addr);
        else
            printf("signal %d pc %#llx addr %#llx\n", g_signal, (unsigned long long)pc,
                   (unsigned long long)g_signal_addr);
        return;
    }
    for (int i = 1; i < 32; i++) printf("x%d %016llx\n", i, (unsigned long long)x[i]);
    for (int i = 0; i < 32; i++) printf("f%d %016llx\n", i, (unsigned long long)f[i]);
    printf("fcsr %08llx\n", (unsigned long long)*(uint64_t*)(state + RH_OFF_FCSR));
    const uint64_t* mem = (const uint64_t*)state;
    for (int i = 0; i < RH_SCRATCH_SIZE / 8; i++) printf("m%d %016llx\n", i, (unsigned long long)mem[i]);
}

int main(int argc, char** argv) {
    FILE* in = stdin;
    if (argc > 1 && strcmp(argv[1], "-") != 0) {
        in = fopen(argv[1], "r");
        if (!in) {
            perror(argv[1]);
            return 2;
        }
    }
    uint8_t* code = map_fixed(RH_CODE_ADDR, RH_CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC);
    uint8_t* state = map_fixed(RH_STATE_ADDR, RH_STATE_SIZE, PROT_READ | PROT_WRITE);
    install_signal_handlers();

    static struct TestCase tc;
    long number = 0;
    int line_no = 0;
    printf("# block at %#lx\n", (unsigned long)(RH_CODE_ADDR + (riscv_harness_prologue_end - riscv_harness_prologue)));
    while (read_case(in, &tc, &number, &line_no)) {
        run_case(&tc, number, code, state);
        fflush(stdout);
    }
    return 0;
}
