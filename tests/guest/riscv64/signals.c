/* signals: signal delivery and return in the guest.
 * Checks a SA_SIGINFO handler for SIGUSR1 sent by raise() (si_signo, si_code SI_TKILL), a
 * blocked signal staying pending until sigprocmask unblocks it, SIGSEGV from a NULL load caught
 * and escaped with sigsetjmp/siglongjmp (si_addr 0, SEGV_MAPERR, signal mask restored),
 * SIGILL from the all-zero instruction with si_addr = its pc, resumed by advancing the pc in
 * the ucontext (so rt_sigreturn must restore the edited context), a handler running on an
 * alternate stack (sigaltstack), SA_RESETHAND, and SIG_IGN. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ucontext.h>

static volatile sig_atomic_t usr1_count;
static volatile int usr1_signo, usr1_code;
static sigjmp_buf segv_env;
static volatile void *segv_addr;
static volatile int segv_code;
static volatile uintptr_t ill_addr;
static volatile int ill_code;
static volatile int on_alt_stack;
static char alt_stack[64 * 1024];

static void on_usr1(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    usr1_count++;
    usr1_signo = sig == info->si_signo ? sig : -1;
    usr1_code = info->si_code;
    char local;
    on_alt_stack = &local >= alt_stack && &local < alt_stack + sizeof alt_stack;
}

static void on_segv(int sig, siginfo_t *info, void *uc)
{
    (void)sig;
    (void)uc;
    segv_addr = info->si_addr;
    segv_code = info->si_code;
    siglongjmp(segv_env, 1);
}

static void on_ill(int sig, siginfo_t *info, void *ucv)
{
    (void)sig;
    ucontext_t *uc = ucv;
    ill_addr = (uintptr_t)info->si_addr;
    ill_code = info->si_code;
    /* Skip the 4 zero bytes (two 16-bit illegal parcels) and carry on after them. */
    uc->uc_mcontext.__gregs[REG_PC] += 4;
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static const char *code_name(int sig, int code)
{
    if (code == SI_USER)
        return "SI_USER";
    if (code == SI_TKILL)
        return "SI_TKILL";
    if (sig == SIGSEGV && code == SEGV_MAPERR)
        return "SEGV_MAPERR";
    if (sig == SIGSEGV && code == SEGV_ACCERR)
        return "SEGV_ACCERR";
    if (sig == SIGILL && code == ILL_ILLOPC)
        return "ILL_ILLOPC";
    return "other";
}

static int blocked(int sig)
{
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    return sigismember(&cur, sig);
}

/* Returns the address of the zero word and executes it; the handler resumes after it. */
static uintptr_t run_illegal(void)
{
    uintptr_t where;
    __asm__ volatile("lla %0, 1f\n"
                     "1: .word 0\n"
                     : "=r"(where)
                     :
                     : "memory");
    return where;
}

int main(void)
{
    /* 1. SIGUSR1 through raise(): synchronous delivery before raise returns. */
    install(SIGUSR1, on_usr1, 0);
    raise(SIGUSR1);
    printf("usr1: count=%d signo_ok=%d code=%s alt=%d\n", usr1_count, usr1_signo == SIGUSR1,
           code_name(SIGUSR1, usr1_code), on_alt_stack);

    /* 2. Blocked: pending until unblocked. */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    sigset_t pending;
    sigpending(&pending);
    printf("blocked: count=%d pending=%d\n", usr1_count, sigismember(&pending, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked: count=%d\n", usr1_count);

    /* 3. SIGSEGV from a NULL load, escaped with siglongjmp. */
    install(SIGSEGV, on_segv, 0);
    if (sigsetjmp(segv_env, 1) == 0) {
        volatile int *null_ptr = NULL;
        int v = *null_ptr;
        printf("not reached %d\n", v);
    } else {
        printf("segv: addr=%p code=%s segv still blocked=%d\n", (void *)segv_addr,
               code_name(SIGSEGV, segv_code), blocked(SIGSEGV));
    }
    /* A second fault must work too: the mask was restored by siglongjmp. */
    if (sigsetjmp(segv_env, 1) == 0) {
        static volatile uintptr_t bad_addr = 16; /* hidden from the compiler's bounds checks */
        *(volatile char *)bad_addr = 1;
    } else {
        printf("segv store: addr=%p code=%s\n", (void *)segv_addr, code_name(SIGSEGV, segv_code));
    }

    /* 4. SIGILL, resumed by editing the saved pc. */
    install(SIGILL, on_ill, 0);
    volatile long before = 12345;
    uintptr_t where = run_illegal();
    printf("sigill: addr matches=%d code=%s resumed, local=%ld\n", ill_addr == where,
           code_name(SIGILL, ill_code), before);

    /* 5. Alternate stack. */
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    install(SIGUSR1, on_usr1, SA_ONSTACK);
    raise(SIGUSR1);
    printf("altstack: count=%d alt=%d\n", usr1_count, on_alt_stack);

    /* 6. SA_RESETHAND: the handler runs once and the disposition goes back to SIG_DFL. */
    install(SIGUSR2, on_usr1, SA_RESETHAND);
    raise(SIGUSR2);
    struct sigaction now;
    sigaction(SIGUSR2, NULL, &now);
    printf("resethand: count=%d handler reset=%d\n", usr1_count, now.sa_handler == SIG_DFL);

    /* 7. SIG_IGN: raising an ignored signal does nothing. */
    signal(SIGUSR1, SIG_IGN);
    raise(SIGUSR1);
    printf("ignored: count=%d\n", usr1_count);
    return 0;
}
