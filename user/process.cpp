// Process: loading, the initial stack, the per-thread run loop, signal delivery and threads.
#include "user/process.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <random>

#include "user/elf_loader.h"
#include "user/syscalls.h"

namespace mimic::user {

namespace {

// Auxiliary vector entries (asm-generic values).
enum : uint64_t {
    kAtNull = 0,
    kAtPhdr = 3,
    kAtPhent = 4,
    kAtPhnum = 5,
    kAtPagesz = 6,
    kAtBase = 7,
    kAtFlags = 8,
    kAtEntry = 9,
    kAtUid = 11,
    kAtEuid = 12,
    kAtGid = 13,
    kAtEgid = 14,
    kAtHwcap = 16,
    kAtClktck = 17,
    kAtSecure = 23,
    kAtRandom = 25,
    kAtHwcap2 = 26,
    kAtExecfn = 31,
};

int host_tid() {
    return int(::syscall(SYS_gettid));
}

bool is_fatal_by_default(int sig) {
    switch (sig) {
        case SIGCHLD:
        case SIGURG:
        case SIGWINCH:
        case SIGCONT: return false;
        default: return true;
    }
}

constexpr uint64_t bit(int sig) {
    return uint64_t(1) << (sig - 1);
}
constexpr uint64_t kUnblockable = bit(SIGKILL) | bit(SIGSTOP);

}  // namespace

namespace {
EngineOptions engine_options(const ProcessOptions& options, Log& log) {
    EngineOptions e;
    e.max_insns_per_block = options.max_insns_per_block;
    e.chaining = options.chaining && !log.enabled(kLogNoChain);
    e.verify_ir = log.enabled(kLogVerifyIr);
    e.log = &log;
    e.warm_up = options.warm_up;
    e.tier_up = options.tier_up;
    e.tier_up_threshold = options.tier_up_threshold;
    e.indirect_regions = true;  // user mode: one address space, flags that never change
    return e;
}
}  // namespace

Process::Process(std::unique_ptr<GuestAbi> abi, Backend& backend, Log& log, ProcessOptions options)
    : abi_(std::move(abi)),
      log_(log),
      options_(std::move(options)),
      memory_(abi_->address_bits()),
      engine_(abi_->frontend(), backend, memory_, engine_options(options_, log)),
      pid_(int(::getpid())) {}

Process::~Process() {
    std::lock_guard lock(threads_mutex_);
    for (auto& t : threads_)
        if (t->host.joinable()) t->host.detach();
}

void Process::setup_stack(const std::string& path, const std::vector<std::string>& argv,
                          const std::vector<std::string>& envp, const ElfImage& image, uint64_t& sp_out) {
    const uint64_t top = memory_.size() - kGuestPageSize;  // keep the last page unmapped
    const uint64_t bottom = top - options_.stack_size;
    if (!memory_.map_anonymous(bottom, options_.stack_size, kProtRead | kProtWrite))
        throw UserError("cannot map the guest stack");

    // Strings and random bytes at the top, then the pointer block below them.
    uint64_t sp = top;
    auto push_bytes = [&](const void* data, size_t len) {
        sp -= len;
        memory_.write(sp, data, len);
        return sp;
    };
    auto push_string = [&](const std::string& s) { return push_bytes(s.c_str(), s.size() + 1); };

    const uint64_t execfn = push_string(path);
    std::vector<uint64_t> arg_ptrs, env_ptrs;
    for (const auto& a : argv) arg_ptrs.push_back(push_string(a));
    for (const auto& e : envp) env_ptrs.push_back(push_string(e));
    uint8_t random[16];
    std::random_device rd;
    for (auto& r : random) r = uint8_t(rd());
    sp &= ~uint64_t(15);
    const uint64_t at_random = push_bytes(random, sizeof random);

    const std::vector<std::pair<uint64_t, uint64_t>> auxv = {
        {kAtPhdr, image.phdr_addr},
        {kAtPhent, image.phent},
        {kAtPhnum, image.phnum},
        {kAtPagesz, kGuestPageSize},
        {kAtBase, image.interp_base},
        {kAtFlags, 0},
        {kAtEntry, image.program_entry},
        {kAtUid, ::getuid()},
        {kAtEuid, ::geteuid()},
        {kAtGid, ::getgid()},
        {kAtEgid, ::getegid()},
        {kAtHwcap, abi_->hwcap()},
        {kAtHwcap2, 0},
        {kAtClktck, 100},
        {kAtSecure, 0},
        {kAtRandom, at_random},
        {kAtExecfn, execfn},
        {kAtNull, 0},
    };
    std::vector<uint64_t> block;
    block.push_back(argv.size());
    block.insert(block.end(), arg_ptrs.begin(), arg_ptrs.end());
    block.push_back(0);
    block.insert(block.end(), env_ptrs.begin(), env_ptrs.end());
    block.push_back(0);
    for (auto [k, v] : auxv) block.push_back(k), block.push_back(v);
    sp = (sp - block.size() * 8) & ~uint64_t(15);
    if (!memory_.write(sp, block.data(), block.size() * 8)) throw UserError("arguments and environment too large");
    sp_out = sp;
}

ExitStatus Process::run(const std::string& path, const std::vector<std::string>& argv,
                        const std::vector<std::string>& envp) {
    exe_path_ = path;
    const ElfTarget target{abi_->elf_machine(), uint64_t(1) << (abi_->address_bits() - 2),
                           uint64_t(1) << (abi_->address_bits() - 3)};
    const ElfImage image = load_elf(memory_, path, target, options_.interp_prefix);

    brk_start = brk_current = image.brk_start;
    uint64_t sp = 0;
    setup_stack(path, argv, envp, image, sp);
    mmap_top = memory_.size() - kGuestPageSize - options_.stack_size - (uint64_t(1) << 24);

    // The sigreturn trampoline stands in for the vDSO's __vdso_rt_sigreturn.
    const auto code = abi_->sigreturn_code();
    const auto page = memory_.find_free(kGuestPageSize, 0, mmap_top);
    if (!page || !memory_.map_anonymous(*page, kGuestPageSize, kProtRead | kProtWrite) ||
        !memory_.write(*page, code.data(), code.size()) ||
        !memory_.protect(*page, kGuestPageSize, kProtRead | kProtExec))
        throw UserError("cannot map the signal trampoline");
    trampoline_ = *page;

    Thread* main;
    {
        std::lock_guard lock(threads_mutex_);
        threads_.push_back(std::make_unique<Thread>(*this, abi_->new_cpu()));
        main = threads_.back().get();
    }
    main->tid = pid_;
    memory_.attach(main->env());
    abi_->start(main->env(), image.entry, sp);
    run_thread(*main);

    std::unique_lock lock(exit_mutex_);
    exit_cv_.wait(lock, [&] { return finished_.load(); });
    return status_;
}

void Process::finish(ExitStatus status) {
    std::lock_guard lock(exit_mutex_);
    if (finished_) return;
    status_ = status;
    finished_ = true;
    exit_cv_.notify_all();
}

void Process::run_thread(Thread& t) {
    CpuHeader& env = t.env();
    while (!t.exited && !finished_) {
        deliver_signals(t);
        if (t.exited || finished_) break;
        const BlockExit exit = engine_.run(&env, t.engine);
        switch (exit.kind) {
            case BlockExit::Kind::kException: handle_exception(t); break;
            case BlockExit::Kind::kExit:
                if (exit.reason == ir::ExitReason::kSyscall) {
                    do_syscall(*this, t);
                } else if (exit.reason == ir::ExitReason::kHalt) {
                    finish({0, SIGKILL});
                    return;
                } else {
                    env.exit_request.store(0, std::memory_order_relaxed);
                }
                break;
            case BlockExit::Kind::kGotoTb:
            case BlockExit::Kind::kLookup:
            case BlockExit::Kind::kHot:
            case BlockExit::Kind::kRetry: break;  // the engine follows these itself
        }
    }
}

void Process::handle_exception(Thread& t) {
    CpuHeader& env = t.env();
    const SignalInfo info = abi_->exception_signal(env);
    if (log_.enabled(kLogInt))
        log_.printf("exception: pc=0x%llx cause=0x%llx tval=0x%llx -> signal %d\n", (unsigned long long)env.pc,
                    (unsigned long long)env.exception_cause, (unsigned long long)env.exception_tval, info.signo);
    env.exception_pending = 0;
    // A synchronous signal that is blocked or ignored cannot be deferred: Linux kills the process.
    const GuestSigaction action = sigaction(info.signo);
    if ((t.sigmask & bit(info.signo)) || action.handler == 1) {
        finish({0, info.signo});
        t.exited = true;
        return;
    }
    if (!deliver(t, info)) {
        finish({0, info.signo});
        t.exited = true;
    }
}

bool Process::deliver(Thread& t, const SignalInfo& info) {
    const GuestSigaction action = sigaction(info.signo);
    if (action.handler == 1) return true;  // SIG_IGN
    if (action.handler == 0) {             // SIG_DFL
        if (!is_fatal_by_default(info.signo)) return true;
        return false;
    }
    constexpr uint64_t kSaOnstack = 0x08000000, kSaNodefer = 0x40000000, kSaResethand = 0x80000000;
    uint64_t altstack = 0;
    if ((action.flags & kSaOnstack) && t.altstack_size && !t.on_altstack) altstack = t.altstack_sp + t.altstack_size;
    if (!abi_->setup_frame(t.env(), memory_, info, action, t.sigmask, trampoline_, altstack)) return false;
    if (altstack) t.on_altstack = true;
    if (log_.enabled(kLogInt))
        log_.printf("signal %d delivered to handler 0x%llx\n", info.signo, (unsigned long long)action.handler);
    uint64_t mask = t.sigmask | action.mask;
    if (!(action.flags & kSaNodefer)) mask |= bit(info.signo);
    update_mask(t, mask);
    if (action.flags & kSaResethand) set_sigaction(info.signo, GuestSigaction{});
    return true;
}

void Process::deliver_signals(Thread& t) {
    for (;;) {
        SignalInfo info;
        {
            std::lock_guard lock(signal_mutex_);
            const uint64_t ready = t.pending & ~t.sigmask;
            if (!ready) return;
            const int sig = __builtin_ctzll(ready) + 1;
            t.pending &= ~bit(sig);
            info = t.pending_info[sig];
        }
        if (!deliver(t, info)) {
            finish({0, info.signo});
            t.exited = true;
            return;
        }
    }
}

GuestSigaction Process::sigaction(int sig) {
    std::lock_guard lock(signal_mutex_);
    return actions_[sig];
}

void Process::set_sigaction(int sig, const GuestSigaction& action) {
    std::lock_guard lock(signal_mutex_);
    actions_[sig] = action;
}

void Process::update_mask(Thread& t, uint64_t mask) {
    std::lock_guard lock(signal_mutex_);
    t.sigmask = mask & ~kUnblockable;
}

uint64_t Process::pending_signals(Thread& t) {
    std::lock_guard lock(signal_mutex_);
    return t.pending;
}

bool Process::send_signal(int tid, const SignalInfo& info) {
    std::lock_guard tlock(threads_mutex_);
    Thread* target = nullptr;
    for (auto& t : threads_) {
        if (t->exited) continue;
        if (tid ? t->tid == tid : !(t->sigmask & bit(info.signo))) {
            target = t.get();
            break;
        }
    }
    if (!target && tid == 0) {
        for (auto& t : threads_)
            if (!t->exited) target = t.get();
    }
    if (!target) return false;
    if (info.signo == 0) return true;
    {
        std::lock_guard lock(signal_mutex_);
        target->pending |= bit(info.signo);
        target->pending_info[info.signo] = info;
    }
    target->env().exit_request.store(1, std::memory_order_relaxed);
    return true;
}

int Process::spawn_thread(Thread& parent, uint64_t flags, uint64_t stack, uint64_t tls, uint64_t child_tid_addr,
                          uint64_t parent_tid_addr) {
    constexpr uint64_t kCloneSettls = 0x80000, kCloneParentSettid = 0x100000, kCloneChildCleartid = 0x200000,
                       kCloneChildSettid = 0x1000000;
    auto thread = std::make_unique<Thread>(*this, abi_->clone_cpu(parent.env()));
    Thread& t = *thread;
    memory_.attach(t.env());
    t.sigmask = parent.sigmask;
    abi_->set_syscall_result(t.env(), 0);
    if (stack) abi_->set_stack_pointer(t.env(), stack);
    if (flags & kCloneSettls) abi_->set_thread_pointer(t.env(), tls);
    if (flags & kCloneChildCleartid) t.clear_child_tid = child_tid_addr;

    // The child's tid is its host thread's; the parent waits until it is known.
    std::mutex m;
    std::condition_variable cv;
    int tid = 0;
    {
        std::lock_guard lock(threads_mutex_);
        threads_.push_back(std::move(thread));
    }
    t.host = std::thread([&, flags, child_tid_addr] {
        {
            std::lock_guard lock(m);
            t.tid = host_tid();
            int32_t v = t.tid;
            if (flags & kCloneChildSettid) memory_.write(child_tid_addr, &v, 4);
            tid = t.tid;
            cv.notify_one();  // under the lock: the parent's m and cv die when it returns
        }
        run_thread(t);
    });
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return tid != 0; });
    if (flags & kCloneParentSettid) {
        int32_t v = tid;
        memory_.write(parent_tid_addr, &v, 4);
    }
    return tid;
}

void Process::exit_thread(Thread& t, int code) {
    if (t.clear_child_tid) {
        const int32_t zero = 0;
        if (memory_.write(t.clear_child_tid, &zero, 4)) {
            if (void* p = memory_.host_pointer(t.clear_child_tid, 4, kProtWrite))
                ::syscall(SYS_futex, p, 1 /* FUTEX_WAKE */, 1, nullptr, nullptr, 0);
        }
    }
    t.exited = true;
    if (thread_count() == 0) finish({code, 0});
}

size_t Process::thread_count() {
    std::lock_guard lock(threads_mutex_);
    size_t n = 0;
    for (auto& t : threads_) n += !t->exited;
    return n;
}

void Process::exit_group(int code) {
    if (thread_count() > 1) {
        // Other threads may sit in blocking host calls; the guest asked for all of them to end now.
        std::fflush(nullptr);
        std::_Exit(code & 0xff);
    }
    finish({code & 0xff, 0});
    std::lock_guard lock(threads_mutex_);
    for (auto& t : threads_) t->exited = true;
}

}  // namespace mimic::user
