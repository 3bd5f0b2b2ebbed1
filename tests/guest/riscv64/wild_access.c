/* wild_access: loads and stores of every size through addresses far outside any mapping, made
 * only after thousands of good accesses by the same instruction, so that a JIT has compiled it
 * by then. Each must raise SIGSEGV with the wild address, at that exact instruction, after
 * exactly the good accesses before it, and must write nothing.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

enum { kHot = 5000 };

static sigjmp_buf segv_env;
static volatile uintptr_t segv_addr, segv_pc;
static volatile int segv_code;

static void on_segv(int sig, siginfo_t *info, void *ucv)
{
    (void)sig;
    ucontext_t *uc = ucv;
    segv_addr = (uintptr_t)info->si_addr;
    segv_code = info->si_code;
    segv_pc = uc->uc_mcontext.__gregs[REG_PC];
    siglongjmp(segv_env, 1);
}

/* One function per access, its instruction labelled so that the handler's pc can be checked. */
#define LOAD(name, insn)                                                                        \
    extern const char name##_insn[];                                                            \
    __attribute__((noinline)) static uint64_t name(uintptr_t p, uint64_t v)                     \
    {                                                                                           \
        (void)v;                                                                                \
        uint64_t r;                                                                             \
        __asm__ volatile(".globl " #name "_insn\n" #name "_insn: " insn " %0, 0(%1)"            \
                         : "=r"(r)                                                              \
                         : "r"(p)                                                               \
                         : "memory");                                                           \
        return r;                                                                               \
    }
#define STORE(name, insn)                                                                       \
    extern const char name##_insn[];                                                            \
    __attribute__((noinline)) static uint64_t name(uintptr_t p, uint64_t v)                     \
    {                                                                                           \
        __asm__ volatile(".globl " #name "_insn\n" #name "_insn: " insn " %0, 0(%1)"            \
                         :                                                                      \
                         : "r"(v), "r"(p)                                                       \
                         : "memory");                                                           \
        return v;                                                                               \
    }

LOAD(load_lb, "lb")
LOAD(load_lbu, "lbu")
LOAD(load_lh, "lh")
LOAD(load_lhu, "lhu")
LOAD(load_lw, "lw")
LOAD(load_lwu, "lwu")
LOAD(load_ld, "ld")
STORE(store_sb, "sb")
STORE(store_sh, "sh")
STORE(store_sw, "sw")
STORE(store_sd, "sd")

static const struct {
    const char *name;
    uint64_t (*fn)(uintptr_t, uint64_t);
    const char *insn;
} kAccesses[] = {
    {"lb", load_lb, load_lb_insn},   {"lbu", load_lbu, load_lbu_insn}, {"lh", load_lh, load_lh_insn},
    {"lhu", load_lhu, load_lhu_insn}, {"lw", load_lw, load_lw_insn},   {"lwu", load_lwu, load_lwu_insn},
    {"ld", load_ld, load_ld_insn},   {"sb", store_sb, store_sb_insn}, {"sh", store_sh, store_sh_insn},
    {"sw", store_sw, store_sw_insn}, {"sd", store_sd, store_sd_insn},
};

/* Past Mimic's guest space (and far past it), and where the address wraps. Not 2^47 and up:
 * qemu-riscv64 7.2, the differential test's reference, reports their si_addr as 0. */
static const uintptr_t kWild[] = {(uintptr_t)1 << 40, (uintptr_t)1 << 44, (uintptr_t)-8};

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, 0);

    static uint64_t cell;
    for (unsigned a = 0; a < sizeof kAccesses / sizeof kAccesses[0]; a++)
        for (unsigned w = 0; w < sizeof kWild / sizeof kWild[0]; w++) {
            volatile unsigned done = 0;
            volatile uint64_t sum = 0;
            cell = 0x8070605040302010;
            if (sigsetjmp(segv_env, 1) == 0) {
                for (unsigned i = 0; i < kHot; i++) {
                    const uintptr_t p = i + 1 == kHot ? kWild[w] : (uintptr_t)&cell;
                    sum += kAccesses[a].fn(p, 0x8070605040302010);
                    done = i + 1;
                }
                printf("%-3s %#018lx: no fault\n", kAccesses[a].name, (unsigned long)kWild[w]);
                continue;
            }
            printf("%-3s %#018lx: SIGSEGV at %#018lx, %s, pc %s, after %u accesses, sum %#lx, cell %#lx\n",
                   kAccesses[a].name, (unsigned long)kWild[w], (unsigned long)segv_addr,
                   segv_code == SEGV_MAPERR ? "SEGV_MAPERR" : "other code",
                   segv_pc == (uintptr_t)kAccesses[a].insn ? "exact" : "wrong", done, (unsigned long)sum,
                   (unsigned long)cell);
        }
    return 0;
}
