// What Linux user mode needs to know about one guest architecture's ABI: its CPU state, the system
// call convention, the signal frame, and how its exceptions become signals. Everything else in
// user/ is shared by all guests (they all use the asm-generic system call numbers).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "engine/cpu_header.h"
#include "engine/frontend.h"

namespace mimic::user {

class AddressSpace;

struct SyscallArgs {
    uint64_t nr;
    uint64_t a[6];
};

struct SignalInfo {
    int signo = 0;
    int code = 0;
    uint64_t addr = 0;  // si_addr for faults
    int pid = 0;        // si_pid for kill/tgkill
    int uid = 0;
};

struct GuestSigaction {
    uint64_t handler = 0;  // 0 = SIG_DFL, 1 = SIG_IGN
    uint64_t flags = 0;
    uint64_t mask = 0;
};

class GuestAbi {
public:
    virtual ~GuestAbi() = default;
    virtual std::string_view name() const = 0;
    virtual uint16_t elf_machine() const = 0;
    virtual unsigned address_bits() const = 0;
    virtual uint64_t hwcap() const = 0;
    virtual Frontend& frontend() = 0;

    // CPU state: a fresh one, or a copy for a new thread.
    virtual std::unique_ptr<CpuHeader, void (*)(CpuHeader*)> new_cpu() const = 0;
    virtual std::unique_ptr<CpuHeader, void (*)(CpuHeader*)> clone_cpu(const CpuHeader& from) const = 0;
    virtual void start(CpuHeader& env, uint64_t pc, uint64_t sp) const = 0;
    virtual void set_stack_pointer(CpuHeader& env, uint64_t sp) const = 0;
    virtual void set_thread_pointer(CpuHeader& env, uint64_t tp) const = 0;

    virtual SyscallArgs syscall_args(const CpuHeader& env) const = 0;
    virtual void set_syscall_result(CpuHeader& env, uint64_t value) const = 0;
    // Arguments of clone(2) in this ABI's order: flags, newsp, parent_tid, tls, child_tid.
    virtual void clone_args(const SyscallArgs& s, uint64_t out[5]) const = 0;

    // The signal a pending guest exception raises (exception_pending set in env).
    virtual SignalInfo exception_signal(const CpuHeader& env) const = 0;

    // Builds the signal frame on the guest stack and points the CPU at the handler. False when the
    // frame cannot be written (the caller then kills the process with SIGSEGV, as Linux does).
    virtual bool setup_frame(CpuHeader& env, AddressSpace& as, const SignalInfo& info, const GuestSigaction& action,
                             uint64_t old_mask, uint64_t sigreturn_trampoline, uint64_t altstack_sp) const = 0;
    // rt_sigreturn: restores registers and returns the saved signal mask; false if the frame is bad.
    virtual bool restore_frame(CpuHeader& env, AddressSpace& as, uint64_t* mask) const = 0;
    // Code for the sigreturn trampoline page (the vDSO's __vdso_rt_sigreturn).
    virtual std::basic_string_view<uint8_t> sigreturn_code() const = 0;
    virtual uint64_t stack_pointer(const CpuHeader& env) const = 0;
    virtual uint64_t pc(const CpuHeader& env) const { return env.pc; }
};

std::unique_ptr<GuestAbi> make_riscv64_abi();

}  // namespace mimic::user
