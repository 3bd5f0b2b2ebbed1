// System call dispatch and -strace output (QEMU's format: "pid name(args) = result").
#include "user/syscalls.h"

#include <cerrno>
#include <cinttypes>
#include <cstring>

#include "user/process.h"

namespace mimic::user {
namespace {

constexpr uint64_t kMaxSyscall = 512;

struct Table {
    SyscallDef defs[kMaxSyscall] = {};
    constexpr Table() {
#define MIMIC_SYSCALL(nr, name, args) defs[nr] = SyscallDef{#name, sys_##name, args};
#include "user/syscalls.inc"
#undef MIMIC_SYSCALL
    }
};
constexpr Table kTable;

std::string format_arg(Process& p, char kind, uint64_t v) {
    char buf[96];
    switch (kind) {
        case 'd': std::snprintf(buf, sizeof buf, "%" PRId64, int64_t(v)); break;
        case 'u': std::snprintf(buf, sizeof buf, "%" PRIu64, v); break;
        case 'o': std::snprintf(buf, sizeof buf, "0%" PRIo64, v); break;
        case 'f':
            if (int32_t(v) == -100) return "AT_FDCWD";
            std::snprintf(buf, sizeof buf, "%d", int32_t(v));
            break;
        case 's': {
            auto s = p.memory().read_string(v, 64);
            if (!s) {
                std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
                break;
            }
            return "\"" + *s + "\"";
        }
        default: std::snprintf(buf, sizeof buf, "0x%" PRIx64, v); break;
    }
    return buf;
}

}  // namespace

int64_t host_result(int64_t r) {
    return r < 0 ? -int64_t(errno) : r;
}

int64_t unsupported(Process& p, const char* syscall, const char* what, uint64_t value, int64_t error) {
    if (p.log().enabled(kLogUnimp))
        p.log().printf("unimp: %s: %s 0x%" PRIx64 " is not supported: returning %s\n", syscall, what, value,
                       error == -ENOSYS   ? "-ENOSYS"
                       : error == -ENOTTY ? "-ENOTTY"
                                          : "-EINVAL");
    return error;
}

void do_syscall(Process& p, Thread& t) {
    const SyscallArgs args = p.abi().syscall_args(t.env());
    const SyscallDef* def = args.nr < kMaxSyscall && kTable.defs[args.nr].handler ? &kTable.defs[args.nr] : nullptr;
    const bool strace = p.log().enabled(kLogStrace);

    std::string line;
    if (strace) {
        char head[64];
        std::snprintf(head, sizeof head, "%d ", t.tid);
        line = head;
        if (def) {
            line += std::string(def->name) + "(";
            for (size_t i = 0; def->args[i]; ++i) line += (i ? "," : "") + format_arg(p, def->args[i], args.a[i]);
            line += ")";
        } else {
            line += "syscall_" + std::to_string(args.nr) + "(...)";
        }
    }

    int64_t result;
    if (def) {
        result = def->handler(p, t, args.a);
    } else {
        if (p.log().enabled(kLogUnimp))
            p.log().printf("unimp: syscall %" PRIu64 " at pc=0x%" PRIx64 " is not implemented: returning -ENOSYS\n",
                           args.nr, t.env().pc);
        result = -ENOSYS;
    }
    if (result == kSyscallNoResult) {
        if (strace) p.log().write(line + "\n");
        return;
    }
    if (strace) {
        char tail[96];
        if (result < 0 && result > -4096)
            std::snprintf(tail, sizeof tail, " = -1 errno=%d (%s)\n", int(-result), std::strerror(int(-result)));
        else
            std::snprintf(tail, sizeof tail, " = %" PRId64 "\n", result);
        p.log().write(line + tail);
    }
    p.abi().set_syscall_result(t.env(), uint64_t(result));
}

}  // namespace mimic::user
