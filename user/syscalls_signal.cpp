// Signal system calls. Guest signals are emulated: handlers run as guest code on a guest frame.
#include <sys/syscall.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>

#include "user/process.h"
#include "user/syscalls.h"

namespace mimic::user {

namespace {
constexpr int kSigBlock = 0, kSigUnblock = 1, kSigSetmask = 2;
constexpr uint64_t kGuestSigsetSize = 8;

bool valid_signal(uint64_t sig) {
    return sig >= 1 && sig <= uint64_t(kMaxSignal);
}

int64_t signal_self(Process& p, Thread& t, int tid, uint64_t sig) {
    if (sig != 0 && !valid_signal(sig)) return -EINVAL;
    SignalInfo info;
    info.signo = int(sig);
    info.code = tid ? SI_TKILL : SI_USER;
    info.pid = p.pid();
    info.uid = int(::getuid());
    if (!p.send_signal(tid, info)) return -ESRCH;
    return 0;
}
}  // namespace

int64_t sys_kill(Process& p, Thread& t, const uint64_t* a) {
    const int pid = int(a[0]);
    if (pid == p.pid() || pid == 0) return signal_self(p, t, 0, a[1]);
    return host_result(::kill(pid, int(a[1])));  // another process: guest and host numbers agree
}

int64_t sys_tkill(Process& p, Thread& t, const uint64_t* a) {
    if (int(a[0]) <= 0) return -EINVAL;
    return signal_self(p, t, int(a[0]), a[1]);
}

int64_t sys_tgkill(Process& p, Thread& t, const uint64_t* a) {
    if (int(a[0]) != p.pid()) return host_result(::syscall(SYS_tgkill, int(a[0]), int(a[1]), int(a[2])));
    if (int(a[1]) <= 0) return -EINVAL;
    return signal_self(p, t, int(a[1]), a[2]);
}

int64_t sys_rt_sigaction(Process& p, Thread&, const uint64_t* a) {
    const uint64_t sig = a[0];
    if (!valid_signal(sig) || a[3] != kGuestSigsetSize) return -EINVAL;
    GuestSigaction old = p.sigaction(int(sig));
    if (a[1]) {
        if (sig == SIGKILL || sig == SIGSTOP) return -EINVAL;
        GuestSigaction act;
        if (!p.memory().read(a[1], &act, sizeof act)) return -EFAULT;
        p.set_sigaction(int(sig), act);
    }
    if (a[2] && !p.memory().write(a[2], &old, sizeof old)) return -EFAULT;
    return 0;
}

int64_t sys_rt_sigprocmask(Process& p, Thread& t, const uint64_t* a) {
    if (a[3] != kGuestSigsetSize) return -EINVAL;
    const uint64_t old = t.sigmask;
    if (a[1]) {
        uint64_t set;
        if (!p.memory().read(a[1], &set, sizeof set)) return -EFAULT;
        switch (int(a[0])) {
            case kSigBlock: p.update_mask(t, old | set); break;
            case kSigUnblock: p.update_mask(t, old & ~set); break;
            case kSigSetmask: p.update_mask(t, set); break;
            default: return -EINVAL;
        }
    }
    if (a[2] && !p.memory().write(a[2], &old, sizeof old)) return -EFAULT;
    return 0;
}

int64_t sys_rt_sigpending(Process& p, Thread& t, const uint64_t* a) {
    if (a[1] != kGuestSigsetSize) return -EINVAL;
    const uint64_t pending = p.pending_signals(t);
    return p.memory().write(a[0], &pending, sizeof pending) ? 0 : -EFAULT;
}

int64_t sys_rt_sigreturn(Process& p, Thread& t, const uint64_t*) {
    uint64_t mask = 0;
    if (!p.abi().restore_frame(t.env(), p.memory(), &mask)) {
        // A corrupt frame: Linux forces SIGSEGV.
        if (p.log().enabled(kLogGuestErrors))
            p.log().printf("guest_errors: rt_sigreturn with an unreadable frame at sp=0x%llx: SIGSEGV\n",
                           (unsigned long long)p.abi().stack_pointer(t.env()));
        SignalInfo info;
        info.signo = SIGSEGV;
        info.code = SI_KERNEL;
        p.set_sigaction(SIGSEGV, GuestSigaction{});
        p.send_signal(t.tid, info);
        return kSyscallNoResult;
    }
    p.update_mask(t, mask);
    t.on_altstack = false;
    return kSyscallNoResult;
}

int64_t sys_sigaltstack(Process& p, Thread& t, const uint64_t* a) {
    struct GuestStackT {
        uint64_t sp;
        int32_t flags, pad;
        uint64_t size;
    };
    constexpr int kSsDisable = 2, kSsOnstack = 1;
    if (a[1]) {
        const GuestStackT old{t.altstack_sp, t.altstack_size ? (t.on_altstack ? kSsOnstack : 0) : kSsDisable, 0,
                              t.altstack_size};
        if (!p.memory().write(a[1], &old, sizeof old)) return -EFAULT;
    }
    if (a[0]) {
        GuestStackT ss;
        if (!p.memory().read(a[0], &ss, sizeof ss)) return -EFAULT;
        if (t.on_altstack) return -EPERM;
        if (ss.flags & kSsDisable) {
            t.altstack_sp = t.altstack_size = 0;
        } else {
            if (ss.size < 2048) return -ENOMEM;
            t.altstack_sp = ss.sp;
            t.altstack_size = ss.size;
        }
    }
    return 0;
}

}  // namespace mimic::user
