// Linux system calls of the guest (asm-generic numbering, shared by riscv64 and aarch64), translated
// to the host's. Each handler returns the result or -errno, as the kernel does.
#pragma once

#include <cstdint>

#include "user/guest_abi.h"

namespace mimic::user {

class Process;
struct Thread;

// Runs the system call the thread's registers describe and stores its result.
void do_syscall(Process& p, Thread& t);

// One system call's handler: arguments as the guest passed them.
using SyscallHandler = int64_t (*)(Process& p, Thread& t, const uint64_t* a);

struct SyscallDef {
    const char* name;
    SyscallHandler handler;
    // -strace argument formats, one letter each: d signed, u unsigned, x hex, p pointer,
    // s string (guest pointer), f fd (AT_FDCWD aware), o octal.
    const char* args;
};

// Handlers, grouped in files by area (syscalls_fs.cpp, syscalls_mm.cpp, ...).
#define MIMIC_SYSCALL(nr, name, args) int64_t sys_##name(Process& p, Thread& t, const uint64_t* a);
#include "user/syscalls.inc"
#undef MIMIC_SYSCALL

// A handler that already set every register itself (rt_sigreturn) returns this.
inline constexpr int64_t kSyscallNoResult = INT64_MIN;

// Logs (under -d unimp) a request of a supported system call that Mimic does not implement, and
// returns `error` for it: the guest gets the error the kernel gives for an unknown request.
int64_t unsupported(Process& p, const char* syscall, const char* what, uint64_t value, int64_t error);

// Returns -errno for the host's last error.
int64_t host_result(int64_t r);

}  // namespace mimic::user
