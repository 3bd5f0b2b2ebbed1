// The riscv64 Linux ABI: registers a0-a7 for system calls, the rt_sigframe layout of
// arch/riscv/kernel/signal.c, and exception causes mapped to signals.
#include <csignal>
#include <cstddef>
#include <cstring>

#include "frontends/riscv/cpu.h"
#include "frontends/riscv/frontend.h"
#include "user/address_space.h"
#include "user/guest_abi.h"

namespace mimic::user {
namespace {

using riscv::CpuState;

// Register numbers of the calling convention.
enum : unsigned { kRa = 1, kSp = 2, kTp = 4, kA0 = 10, kA7 = 17 };

// Guest (riscv64) structures, as the kernel lays them out.
struct GuestSiginfo {
    int32_t signo, errno_, code, pad;
    union {
        struct {
            uint64_t addr;
        } fault;
        struct {
            int32_t pid;
            uint32_t uid;
        } kill;
        uint8_t raw[112];
    };
};
static_assert(sizeof(GuestSiginfo) == 128);

struct GuestStack {
    uint64_t sp;
    int32_t flags;
    int32_t pad;
    uint64_t size;
};

struct GuestMcontext {
    uint64_t regs[32];  // pc, then x1..x31
    // union __riscv_fp_state, sized by its Q member (f[64], fcsr, reserved[3]); the D layout used
    // here is f[32] then fcsr at byte 256.
    uint64_t fpregs[66];
};

struct GuestUcontext {
    uint64_t flags;
    uint64_t link;
    GuestStack stack;
    uint64_t sigmask;
    uint8_t unused[1024 / 8 - 8];
    alignas(16) GuestMcontext mcontext;
};

static_assert(sizeof(GuestMcontext) == 784);
static_assert(offsetof(GuestUcontext, mcontext) == 176);

struct GuestSigframe {
    GuestSiginfo info;
    GuestUcontext uc;
};

// li a7, 139 (rt_sigreturn); ecall
constexpr uint8_t kSigreturn[] = {0x93, 0x08, 0xb0, 0x08, 0x73, 0x00, 0x00, 0x00};

void destroy(CpuHeader* h) {
    delete reinterpret_cast<CpuState*>(h);
}

class Riscv64Abi final : public GuestAbi {
public:
    std::string_view name() const override { return "riscv64"; }
    uint16_t elf_machine() const override { return 243; /* EM_RISCV */ }
    unsigned address_bits() const override { return 38; }
    uint64_t hwcap() const override {
        uint64_t h = 0;
        for (char c : std::string_view("IMAFDC")) h |= uint64_t(1) << (c - 'A');
        return h;
    }
    Frontend& frontend() override { return frontend_; }

    std::unique_ptr<CpuHeader, void (*)(CpuHeader*)> new_cpu() const override {
        return {&(new CpuState)->header, destroy};
    }
    std::unique_ptr<CpuHeader, void (*)(CpuHeader*)> clone_cpu(const CpuHeader& from) const override {
        const CpuState& src = *reinterpret_cast<const CpuState*>(&from);
        auto* s = new CpuState;
        std::memcpy(s->x, src.x, sizeof s->x);
        std::memcpy(s->f, src.f, sizeof s->f);
        s->fflags = src.fflags;
        s->frm = src.frm;
        s->header.pc = src.header.pc;
        return {&s->header, destroy};
    }
    void start(CpuHeader& env, uint64_t pc, uint64_t sp) const override {
        env.pc = pc;
        cpu(env).x[kSp] = sp;
        // a0 holds the rtld_fini pointer for static programs: 0 means none.
        cpu(env).x[kA0] = 0;
    }
    void set_stack_pointer(CpuHeader& env, uint64_t sp) const override { cpu(env).x[kSp] = sp; }
    void set_thread_pointer(CpuHeader& env, uint64_t tp) const override { cpu(env).x[kTp] = tp; }
    uint64_t stack_pointer(const CpuHeader& env) const override { return cpu(env).x[kSp]; }

    SyscallArgs syscall_args(const CpuHeader& env) const override {
        const CpuState& s = cpu(env);
        return {s.x[kA7], {s.x[kA0], s.x[kA0 + 1], s.x[kA0 + 2], s.x[kA0 + 3], s.x[kA0 + 4], s.x[kA0 + 5]}};
    }
    void set_syscall_result(CpuHeader& env, uint64_t value) const override { cpu(env).x[kA0] = value; }
    void clone_args(const SyscallArgs& s, uint64_t out[5]) const override {
        for (int i = 0; i < 5; ++i) out[i] = s.a[i];  // flags, newsp, ptid, tls, ctid
    }

    SignalInfo exception_signal(const CpuHeader& env) const override {
        SignalInfo info;
        if (env.exception_pending == kMemoryFault) {
            const bool misaligned = env.exception_cause & kFaultMisaligned;
            info.signo = misaligned ? SIGBUS : SIGSEGV;
            info.code = misaligned                                 ? int(BUS_ADRALN)
                        : (env.exception_cause & kFaultProtection) ? int(SEGV_ACCERR)
                                                                   : int(SEGV_MAPERR);
            info.addr = env.exception_tval;
            return info;
        }
        switch (env.exception_cause) {
            case riscv::kIllegalInstruction: info = {SIGILL, ILL_ILLOPC, env.pc}; break;
            case riscv::kBreakpoint: info = {SIGTRAP, TRAP_BRKPT, env.pc}; break;
            case riscv::kInstructionMisaligned:
            case riscv::kLoadMisaligned:
            case riscv::kStoreMisaligned: info = {SIGBUS, BUS_ADRALN, env.exception_tval}; break;
            default:  // access and page faults
                info = {SIGSEGV, SEGV_MAPERR, env.exception_tval};
                break;
        }
        return info;
    }

    bool setup_frame(CpuHeader& env, AddressSpace& as, const SignalInfo& info, const GuestSigaction& action,
                     uint64_t old_mask, uint64_t trampoline, uint64_t altstack_sp) const override {
        CpuState& s = cpu(env);
        const uint64_t sp = altstack_sp ? altstack_sp : s.x[kSp];
        const uint64_t frame_addr = (sp - sizeof(GuestSigframe)) & ~uint64_t(15);
        GuestSigframe frame{};
        frame.info.signo = info.signo;
        frame.info.code = info.code;
        if (info.signo == SIGSEGV || info.signo == SIGBUS || info.signo == SIGILL || info.signo == SIGTRAP ||
            info.signo == SIGFPE)
            frame.info.fault.addr = info.addr;
        else
            frame.info.kill = {info.pid, uint32_t(info.uid)};
        frame.uc.sigmask = old_mask;
        frame.uc.mcontext.regs[0] = env.pc;
        for (int r = 1; r < 32; ++r) frame.uc.mcontext.regs[r] = s.x[r];
        std::memcpy(frame.uc.mcontext.fpregs, s.f, sizeof s.f);
        const uint32_t fcsr = uint32_t(s.frm << 5 | s.fflags);
        std::memcpy(&frame.uc.mcontext.fpregs[32], &fcsr, 4);
        if (!as.write(frame_addr, &frame, sizeof frame)) return false;

        s.x[kSp] = frame_addr;
        s.x[kRa] = trampoline;
        s.x[kA0] = uint64_t(info.signo);
        s.x[kA0 + 1] = frame_addr + offsetof(GuestSigframe, info);
        s.x[kA0 + 2] = frame_addr + offsetof(GuestSigframe, uc);
        env.pc = action.handler;
        return true;
    }

    bool restore_frame(CpuHeader& env, AddressSpace& as, uint64_t* mask) const override {
        CpuState& s = cpu(env);
        GuestSigframe frame;
        if (!as.read(s.x[kSp], &frame, sizeof frame)) return false;
        env.pc = frame.uc.mcontext.regs[0];
        for (int r = 1; r < 32; ++r) s.x[r] = frame.uc.mcontext.regs[r];
        std::memcpy(s.f, frame.uc.mcontext.fpregs, sizeof s.f);
        uint32_t fcsr;
        std::memcpy(&fcsr, &frame.uc.mcontext.fpregs[32], 4);
        s.fflags = fcsr & 0x1f;
        s.frm = fcsr >> 5 & 7;
        *mask = frame.uc.sigmask;
        return true;
    }

    std::basic_string_view<uint8_t> sigreturn_code() const override { return {kSigreturn, sizeof kSigreturn}; }

private:
    static CpuState& cpu(CpuHeader& env) { return *reinterpret_cast<CpuState*>(&env); }
    static const CpuState& cpu(const CpuHeader& env) { return *reinterpret_cast<const CpuState*>(&env); }

    riscv::RiscvFrontend frontend_;
};

}  // namespace

std::unique_ptr<GuestAbi> make_riscv64_abi() {
    return std::make_unique<Riscv64Abi>();
}

}  // namespace mimic::user
