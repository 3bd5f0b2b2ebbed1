// File and descriptor system calls. Guest descriptors are host descriptors; paths and buffers are
// checked guest memory. Structures whose layout differs between the guest ABI and the host
// (struct stat, iovec) are converted.
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

#include "user/process.h"
#include "user/syscalls.h"

namespace mimic::user {
namespace {

constexpr uint64_t kMaxIo = uint64_t(1) << 30;  // cap single transfers, as the kernel caps at 2 GiB

// The asm-generic struct stat of 64-bit guests.
struct GuestStat {
    uint64_t dev, ino;
    uint32_t mode, nlink, uid, gid;
    uint64_t rdev, pad1;
    int64_t size;
    int32_t blksize, pad2;
    int64_t blocks;
    int64_t atime, atime_nsec, mtime, mtime_nsec, ctime, ctime_nsec;
    uint32_t unused[2];
};
static_assert(sizeof(GuestStat) == 128);

int64_t write_stat(Process& p, uint64_t addr, const struct stat& st) {
    GuestStat g{};
    g.dev = st.st_dev;
    g.ino = st.st_ino;
    g.mode = st.st_mode;
    g.nlink = uint32_t(st.st_nlink);
    g.uid = st.st_uid;
    g.gid = st.st_gid;
    g.rdev = st.st_rdev;
    g.size = st.st_size;
    g.blksize = int32_t(st.st_blksize);
    g.blocks = st.st_blocks;
    g.atime = st.st_atim.tv_sec, g.atime_nsec = st.st_atim.tv_nsec;
    g.mtime = st.st_mtim.tv_sec, g.mtime_nsec = st.st_mtim.tv_nsec;
    g.ctime = st.st_ctim.tv_sec, g.ctime_nsec = st.st_ctim.tv_nsec;
    return p.memory().write(addr, &g, sizeof g) ? 0 : -EFAULT;
}

// A guest path as the host should see it: /proc/self/exe is the guest program rather than Mimic,
// and with -L an absolute path that exists under the prefix is taken from there.
bool guest_path(Process& p, uint64_t addr, std::string& out) {
    auto s = p.memory().read_string(addr, PATH_MAX);
    if (!s) return false;
    out = *s;
    if (out == "/proc/self/exe") {
        out = p.exe_path();
    } else if (!p.path_prefix().empty() && !out.empty() && out[0] == '/') {
        const std::string prefixed = p.path_prefix() + out;
        if (::access(prefixed.c_str(), F_OK) == 0) out = prefixed;
    }
    return true;
}

#define PATH_ARG(var, addr) \
    std::string var;        \
    if (!guest_path(p, addr, var)) return -EFAULT;

// Builds host iovecs for a guest iovec array; the buffers must be accessible with `prot`.
bool host_iovecs(Process& p, uint64_t addr, uint64_t count, int prot, std::vector<iovec>& out) {
    if (count > IOV_MAX) return false;
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t v[2];
        if (!p.memory().read(addr + 16 * i, v, sizeof v)) return false;
        void* base = v[1] ? p.memory().host_pointer(v[0], v[1], prot) : nullptr;
        if (v[1] && !base) return false;
        out.push_back({base, size_t(v[1])});
    }
    return true;
}

}  // namespace

int64_t sys_read(Process& p, Thread&, const uint64_t* a) {
    const uint64_t len = std::min(a[2], kMaxIo);
    void* buf = p.memory().host_pointer(a[1], len, kProtWrite);
    if (!buf && len) return -EFAULT;
    return host_result(::read(int(a[0]), buf, len));
}

int64_t sys_write(Process& p, Thread&, const uint64_t* a) {
    const uint64_t len = std::min(a[2], kMaxIo);
    const void* buf = p.memory().host_pointer(a[1], len, kProtRead);
    if (!buf && len) return -EFAULT;
    return host_result(::write(int(a[0]), buf, len));
}

int64_t sys_pread64(Process& p, Thread&, const uint64_t* a) {
    const uint64_t len = std::min(a[2], kMaxIo);
    void* buf = p.memory().host_pointer(a[1], len, kProtWrite);
    if (!buf && len) return -EFAULT;
    return host_result(::pread(int(a[0]), buf, len, off_t(a[3])));
}

int64_t sys_pwrite64(Process& p, Thread&, const uint64_t* a) {
    const uint64_t len = std::min(a[2], kMaxIo);
    const void* buf = p.memory().host_pointer(a[1], len, kProtRead);
    if (!buf && len) return -EFAULT;
    return host_result(::pwrite(int(a[0]), buf, len, off_t(a[3])));
}

int64_t sys_readv(Process& p, Thread&, const uint64_t* a) {
    std::vector<iovec> iov;
    if (!host_iovecs(p, a[1], a[2], kProtWrite, iov)) return a[2] > IOV_MAX ? -EINVAL : -EFAULT;
    return host_result(::readv(int(a[0]), iov.data(), int(iov.size())));
}

int64_t sys_writev(Process& p, Thread&, const uint64_t* a) {
    std::vector<iovec> iov;
    if (!host_iovecs(p, a[1], a[2], kProtRead, iov)) return a[2] > IOV_MAX ? -EINVAL : -EFAULT;
    return host_result(::writev(int(a[0]), iov.data(), int(iov.size())));
}

int64_t sys_openat(Process& p, Thread&, const uint64_t* a) {
    PATH_ARG(path, a[1]);
    return host_result(::openat(int(a[0]), path.c_str(), int(a[2]), mode_t(a[3])));
}

int64_t sys_close(Process&, Thread&, const uint64_t* a) {
    return host_result(::close(int(a[0])));
}

int64_t sys_lseek(Process&, Thread&, const uint64_t* a) {
    return host_result(::lseek(int(a[0]), off_t(a[1]), int(a[2])));
}

int64_t sys_dup(Process&, Thread&, const uint64_t* a) {
    return host_result(::dup(int(a[0])));
}

int64_t sys_dup3(Process&, Thread&, const uint64_t* a) {
    return host_result(::dup3(int(a[0]), int(a[1]), int(a[2])));
}

int64_t sys_fcntl(Process& p, Thread&, const uint64_t* a) {
    switch (int(a[1])) {
        case F_DUPFD:
        case F_DUPFD_CLOEXEC:
        case F_GETFD:
        case F_SETFD:
        case F_GETFL:
        case F_SETFL: return host_result(::fcntl(int(a[0]), int(a[1]), int(a[2])));
        case F_GETLK:
        case F_SETLK:
        case F_SETLKW: {
            // struct flock has the same layout in the generic 64-bit ABI and on x86-64.
            void* fl = p.memory().host_pointer(a[2], sizeof(struct flock), kProtRead | kProtWrite);
            if (!fl) return -EFAULT;
            return host_result(::fcntl(int(a[0]), int(a[1]), fl));
        }
        default: return unsupported(p, "fcntl", "command", a[1], -EINVAL);
    }
}

int64_t sys_ioctl(Process& p, Thread&, const uint64_t* a) {
    // Only requests whose argument layout is identical for the guest and the host pass through.
    size_t size;
    switch (a[1]) {
        case TCGETS:
        case TCSETS:
        case TCSETSW:
        case TCSETSF: size = sizeof(struct termios); break;
        case TIOCGWINSZ:
        case TIOCSWINSZ: size = sizeof(struct winsize); break;
        case FIONREAD:
        case TIOCGPGRP:
        case TIOCSPGRP: size = sizeof(int); break;
        default: return unsupported(p, "ioctl", "request", a[1], -ENOTTY);
    }
    void* arg = p.memory().host_pointer(a[2], size, kProtRead | kProtWrite);
    if (!arg) return -EFAULT;
    return host_result(::ioctl(int(a[0]), a[1], arg));
}

int64_t sys_pipe2(Process& p, Thread&, const uint64_t* a) {
    int fds[2];
    if (::pipe2(fds, int(a[1])) != 0) return -errno;
    if (!p.memory().write(a[0], fds, sizeof fds)) {
        ::close(fds[0]), ::close(fds[1]);
        return -EFAULT;
    }
    return 0;
}

int64_t sys_getdents64(Process& p, Thread&, const uint64_t* a) {
    const uint64_t len = std::min(a[2], kMaxIo);
    void* buf = p.memory().host_pointer(a[1], len, kProtWrite);
    if (!buf) return -EFAULT;
    return host_result(::syscall(SYS_getdents64, int(a[0]), buf, len));
}

int64_t sys_ppoll(Process& p, Thread&, const uint64_t* a) {
    const uint64_t n = a[1];
    if (n > 4096) return -EINVAL;
    void* fds = n ? p.memory().host_pointer(a[0], n * sizeof(pollfd), kProtRead | kProtWrite) : nullptr;
    if (n && !fds) return -EFAULT;
    timespec ts, *tsp = nullptr;
    if (a[2]) {
        if (!p.memory().read(a[2], &ts, sizeof ts)) return -EFAULT;
        tsp = &ts;
    }
    return host_result(::ppoll(static_cast<pollfd*>(fds), nfds_t(n), tsp, nullptr));
}

int64_t sys_readlinkat(Process& p, Thread&, const uint64_t* a) {
    auto path = p.memory().read_string(a[1], PATH_MAX);
    if (!path) return -EFAULT;
    std::string host_path;
    if (!guest_path(p, a[1], host_path)) return -EFAULT;
    char* buf = reinterpret_cast<char*>(p.memory().host_pointer(a[2], a[3], kProtWrite));
    if (!buf && a[3]) return -EFAULT;
    if (*path == "/proc/self/exe") {
        char real[PATH_MAX];
        if (!::realpath(p.exe_path().c_str(), real)) return -errno;
        const size_t n = std::min<size_t>(std::strlen(real), a[3]);
        std::memcpy(buf, real, n);
        return int64_t(n);
    }
    return host_result(::readlinkat(int(a[0]), host_path.c_str(), buf, a[3]));
}

int64_t sys_newfstatat(Process& p, Thread&, const uint64_t* a) {
    PATH_ARG(path, a[1]);
    struct stat st;
    if (::fstatat(int(a[0]), path.c_str(), &st, int(a[3])) != 0) return -errno;
    return write_stat(p, a[2], st);
}

int64_t sys_fstat(Process& p, Thread&, const uint64_t* a) {
    struct stat st;
    if (::fstat(int(a[0]), &st) != 0) return -errno;
    return write_stat(p, a[1], st);
}

int64_t sys_statx(Process& p, Thread&, const uint64_t* a) {
    PATH_ARG(path, a[1]);
    // struct statx is the same on every architecture.
    void* buf = p.memory().host_pointer(a[4], 256, kProtWrite);
    if (!buf) return -EFAULT;
    return host_result(::syscall(SYS_statx, int(a[0]), path.c_str(), int(a[2]), unsigned(a[3]), buf));
}

int64_t sys_getcwd(Process& p, Thread&, const uint64_t* a) {
    char buf[PATH_MAX];
    if (!::getcwd(buf, sizeof buf)) return -errno;
    const size_t n = std::strlen(buf) + 1;
    if (n > a[1]) return -ERANGE;
    return p.memory().write(a[0], buf, n) ? int64_t(n) : -EFAULT;
}

int64_t sys_chdir(Process& p, Thread&, const uint64_t* a) {
    PATH_ARG(path, a[0]);
    return host_result(::chdir(path.c_str()));
}

int64_t sys_mkdirat(Process& p, Thread&, const uint64_t* a) {
    PATH_ARG(path, a[1]);
    return host_result(::mkdirat(int(a[0]), path.c_str(), mode_t(a[2])));
}

int64_t sys_unlinkat(Process& p, Thread&, const uint64_t* a) {
    PATH_ARG(path, a[1]);
    return host_result(::unlinkat(int(a[0]), path.c_str(), int(a[2])));
}

int64_t sys_linkat(Process& p, Thread&, const uint64_t* a) {
    PATH_ARG(from, a[1]);
    PATH_ARG(to, a[3]);
    return host_result(::linkat(int(a[0]), from.c_str(), int(a[2]), to.c_str(), int(a[4])));
}

int64_t sys_renameat(Process& p, Thread&, const uint64_t* a) {
    PATH_ARG(from, a[1]);
    PATH_ARG(to, a[3]);
    return host_result(::renameat(int(a[0]), from.c_str(), int(a[2]), to.c_str()));
}

int64_t sys_renameat2(Process& p, Thread&, const uint64_t* a) {
    PATH_ARG(from, a[1]);
    PATH_ARG(to, a[3]);
    return host_result(::syscall(SYS_renameat2, int(a[0]), from.c_str(), int(a[2]), to.c_str(), unsigned(a[4])));
}

int64_t sys_ftruncate(Process&, Thread&, const uint64_t* a) {
    return host_result(::ftruncate(int(a[0]), off_t(a[1])));
}

int64_t sys_faccessat(Process& p, Thread&, const uint64_t* a) {
    PATH_ARG(path, a[1]);
    return host_result(::faccessat(int(a[0]), path.c_str(), int(a[2]), 0));
}

int64_t sys_fchmod(Process&, Thread&, const uint64_t* a) {
    return host_result(::fchmod(int(a[0]), mode_t(a[1])));
}

int64_t sys_fchmodat(Process& p, Thread&, const uint64_t* a) {
    PATH_ARG(path, a[1]);
    return host_result(::fchmodat(int(a[0]), path.c_str(), mode_t(a[2]), 0));
}

int64_t sys_fsync(Process&, Thread&, const uint64_t* a) {
    return host_result(::fsync(int(a[0])));
}

int64_t sys_utimensat(Process& p, Thread&, const uint64_t* a) {
    std::string path;
    if (a[1] && !guest_path(p, a[1], path)) return -EFAULT;
    timespec ts[2], *tsp = nullptr;
    if (a[2]) {
        if (!p.memory().read(a[2], ts, sizeof ts)) return -EFAULT;
        tsp = ts;
    }
    return host_result(::syscall(SYS_utimensat, int(a[0]), a[1] ? path.c_str() : nullptr, tsp, int(a[3])));
}

}  // namespace mimic::user
