// Process, thread, identity and time system calls.
#include <linux/futex.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "user/process.h"
#include "user/syscalls.h"

namespace mimic::user {

namespace {

// Copies a host struct to guest memory (for structures with the same layout on both sides).
template <typename T>
int64_t put(Process& p, uint64_t addr, const T& value) {
    return p.memory().write(addr, &value, sizeof value) ? 0 : -EFAULT;
}

}  // namespace

int64_t sys_exit(Process& p, Thread& t, const uint64_t* a) {
    p.exit_thread(t, int(a[0]) & 0xff);
    return 0;
}

int64_t sys_exit_group(Process& p, Thread&, const uint64_t* a) {
    p.exit_group(int(a[0]));
    return 0;
}

int64_t sys_set_tid_address(Process&, Thread& t, const uint64_t* a) {
    t.clear_child_tid = a[0];
    return t.tid;
}

int64_t sys_futex(Process& p, Thread&, const uint64_t* a) {
    const int op = int(a[1]);
    const int cmd = op & FUTEX_CMD_MASK;
    void* uaddr = p.memory().host_pointer(a[0], 4, kProtRead);
    if (!uaddr) return -EFAULT;
    switch (cmd) {
        case FUTEX_WAIT:
        case FUTEX_WAIT_BITSET: {
            timespec ts, *tsp = nullptr;
            if (a[3]) {
                if (!p.memory().read(a[3], &ts, sizeof ts)) return -EFAULT;
                tsp = &ts;
            }
            return host_result(::syscall(SYS_futex, uaddr, op, uint32_t(a[2]), tsp, nullptr, uint32_t(a[5])));
        }
        case FUTEX_WAKE:
        case FUTEX_WAKE_BITSET:
            return host_result(::syscall(SYS_futex, uaddr, op, uint32_t(a[2]), nullptr, nullptr, uint32_t(a[5])));
        case FUTEX_REQUEUE:
        case FUTEX_CMP_REQUEUE:
        case FUTEX_WAKE_OP: {
            void* uaddr2 = p.memory().host_pointer(a[4], 4, kProtRead | kProtWrite);
            if (!uaddr2) return -EFAULT;
            // The fourth argument is a count (val2), not a timeout, for these operations.
            return host_result(::syscall(SYS_futex, uaddr, op, uint32_t(a[2]), a[3], uaddr2, uint32_t(a[5])));
        }
        default: return unsupported(p, "futex", "operation", uint64_t(cmd), -ENOSYS);
    }
}

int64_t sys_clone(Process& p, Thread& t, const uint64_t* raw) {
    uint64_t a[5];
    p.abi().clone_args(SyscallArgs{0, {raw[0], raw[1], raw[2], raw[3], raw[4], raw[5]}}, a);
    const uint64_t flags = a[0];
    if ((flags & CLONE_VM) && (flags & CLONE_THREAD)) return p.spawn_thread(t, flags, a[1], a[3], a[4], a[2]);
    if (flags & CLONE_THREAD) return unsupported(p, "clone", "CLONE_THREAD without CLONE_VM, flags", flags, -EINVAL);
    // fork() and vfork(): a host fork copies the whole guest as it is; vfork's sharing is not
    // needed for correctness because the parent waits anyway.
    const pid_t pid = ::fork();
    if (pid < 0) return -errno;
    if (pid == 0) {
        t.tid = int(::getpid());
        if (flags & CLONE_CHILD_SETTID) {
            const int32_t tid = t.tid;
            p.memory().write(a[4], &tid, 4);
        }
        if (flags & CLONE_CHILD_CLEARTID) t.clear_child_tid = a[4];
        if (a[1]) p.abi().set_stack_pointer(t.env(), a[1]);
        return 0;
    }
    if (flags & CLONE_PARENT_SETTID) {
        const int32_t v = pid;
        p.memory().write(a[2], &v, 4);
    }
    return pid;
}

int64_t sys_wait4(Process& p, Thread&, const uint64_t* a) {
    int status = 0;
    struct rusage ru;
    const pid_t r = ::wait4(pid_t(a[0]), &status, int(a[2]), a[3] ? &ru : nullptr);
    if (r < 0) return -errno;
    if (a[1] && put(p, a[1], int32_t(status))) return -EFAULT;
    if (a[3] && put(p, a[3], ru)) return -EFAULT;
    return r;
}

int64_t sys_nanosleep(Process& p, Thread&, const uint64_t* a) {
    timespec req, rem{};
    if (!p.memory().read(a[0], &req, sizeof req)) return -EFAULT;
    const int r = ::nanosleep(&req, &rem);
    if (r != 0 && a[1]) put(p, a[1], rem);
    return host_result(r);
}

int64_t sys_clock_nanosleep(Process& p, Thread&, const uint64_t* a) {
    timespec req, rem{};
    if (!p.memory().read(a[2], &req, sizeof req)) return -EFAULT;
    const int r = ::clock_nanosleep(clockid_t(a[0]), int(a[1]), &req, &rem);
    if (r == EINTR && a[3]) put(p, a[3], rem);
    return -r;
}

int64_t sys_clock_gettime(Process& p, Thread&, const uint64_t* a) {
    timespec ts;
    if (::clock_gettime(clockid_t(a[0]), &ts) != 0) return -errno;
    return put(p, a[1], ts);
}

int64_t sys_clock_getres(Process& p, Thread&, const uint64_t* a) {
    timespec ts;
    if (::clock_getres(clockid_t(a[0]), &ts) != 0) return -errno;
    return a[1] ? put(p, a[1], ts) : 0;
}

int64_t sys_gettimeofday(Process& p, Thread&, const uint64_t* a) {
    timespec ts;
    ::clock_gettime(CLOCK_REALTIME, &ts);
    const int64_t tv[2] = {ts.tv_sec, ts.tv_nsec / 1000};
    if (a[0] && !p.memory().write(a[0], tv, sizeof tv)) return -EFAULT;
    return 0;
}

int64_t sys_times(Process& p, Thread&, const uint64_t* a) {
    struct tms t;
    const clock_t r = ::times(&t);
    if (a[0] && put(p, a[0], t)) return -EFAULT;
    return int64_t(r);
}

int64_t sys_sched_yield(Process&, Thread&, const uint64_t*) {
    return host_result(::sched_yield());
}

int64_t sys_uname(Process& p, Thread&, const uint64_t* a) {
    struct utsname u;
    if (::uname(&u) != 0) return -errno;
    std::snprintf(u.machine, sizeof u.machine, "%s", std::string(p.abi().name()).c_str());
    return put(p, a[0], u);
}

int64_t sys_getrlimit(Process& p, Thread&, const uint64_t* a) {
    struct rlimit r;
    if (::getrlimit(int(a[0]), &r) != 0) return -errno;
    return put(p, a[1], r);
}

int64_t sys_prlimit64(Process& p, Thread&, const uint64_t* a) {
    if (a[0] != 0 && int(a[0]) != p.pid()) return -EPERM;
    struct rlimit64 in, out;
    if (a[2] && !p.memory().read(a[2], &in, sizeof in)) return -EFAULT;
    if (::prlimit64(0, __rlimit_resource(a[1]), a[2] ? &in : nullptr, &out) != 0) return -errno;
    return a[3] ? put(p, a[3], out) : 0;
}

int64_t sys_getrusage(Process& p, Thread&, const uint64_t* a) {
    struct rusage r;
    if (::getrusage(int(a[0]), &r) != 0) return -errno;
    return put(p, a[1], r);
}

int64_t sys_prctl(Process& p, Thread&, const uint64_t* a) {
    switch (int(a[0])) {
        case PR_SET_NAME: {
            auto name = p.memory().read_string(a[1], 16);
            if (!name) return -EFAULT;
            return host_result(::prctl(PR_SET_NAME, name->c_str()));
        }
        case PR_GET_NAME: {
            char name[16] = {};
            ::prctl(PR_GET_NAME, name);
            return p.memory().write(a[1], name, sizeof name) ? 0 : -EFAULT;
        }
        case PR_GET_DUMPABLE: return host_result(::prctl(PR_GET_DUMPABLE));
        case PR_SET_DUMPABLE: return host_result(::prctl(PR_SET_DUMPABLE, a[1]));
        default: return unsupported(p, "prctl", "option", a[0], -EINVAL);
    }
}

int64_t sys_getpid(Process& p, Thread&, const uint64_t*) {
    return p.pid();
}
int64_t sys_getppid(Process&, Thread&, const uint64_t*) {
    return ::getppid();
}
int64_t sys_getuid(Process&, Thread&, const uint64_t*) {
    return ::getuid();
}
int64_t sys_geteuid(Process&, Thread&, const uint64_t*) {
    return ::geteuid();
}
int64_t sys_getgid(Process&, Thread&, const uint64_t*) {
    return ::getgid();
}
int64_t sys_getegid(Process&, Thread&, const uint64_t*) {
    return ::getegid();
}
int64_t sys_gettid(Process&, Thread& t, const uint64_t*) {
    return t.tid;
}

int64_t sys_sysinfo(Process& p, Thread&, const uint64_t* a) {
    struct sysinfo s;
    if (::sysinfo(&s) != 0) return -errno;
    return put(p, a[0], s);
}

int64_t sys_getrandom(Process& p, Thread&, const uint64_t* a) {
    const uint64_t len = std::min<uint64_t>(a[1], 1 << 25);
    void* buf = p.memory().host_pointer(a[0], len, kProtWrite);
    if (!buf && len) return -EFAULT;
    return host_result(::getrandom(buf, len, unsigned(a[2])));
}

}  // namespace mimic::user
