// A guest Linux process in user mode: its address space, threads (one host thread each), signal
// state and the run loop that turns block exits into system calls and signals.
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "engine/log.h"
#include "user/address_space.h"
#include "user/guest_abi.h"

namespace mimic::user {

inline constexpr int kMaxSignal = 64;

struct ProcessOptions {
    std::string interp_prefix;  // -L: where the guest's dynamic linker and libraries live
    uint32_t max_insns_per_block = 256;
    bool chaining = true;
    uint64_t stack_size = 8 << 20;
    Backend* warm_up = nullptr;  // tiered mode: the middle tier (EngineOptions::warm_up)
    Backend* tier_up = nullptr;  // tiered mode: the upper tier
    uint64_t tier_up_threshold = 2000;
};

struct ExitStatus {
    int code = 0;
    int signal = 0;  // non-zero: the process was killed by this (guest) signal
};

class Process;

// One guest thread: its CPU state and engine state, run by one host thread.
struct Thread {
    Process& process;
    std::unique_ptr<CpuHeader, void (*)(CpuHeader*)> cpu;
    VcpuEngineState engine;
    int tid = 0;
    uint64_t sigmask = 0;
    uint64_t pending = 0;  // signals directed at this thread (guarded by Process::signal_mutex_)
    std::array<SignalInfo, kMaxSignal + 1> pending_info{};
    uint64_t clear_child_tid = 0;
    uint64_t altstack_sp = 0, altstack_size = 0;
    bool on_altstack = false;
    bool exited = false;
    std::thread host;

    Thread(Process& p, std::unique_ptr<CpuHeader, void (*)(CpuHeader*)> c) : process(p), cpu(std::move(c)) {}
    CpuHeader& env() { return *cpu; }
};

class Process {
public:
    Process(std::unique_ptr<GuestAbi> abi, Backend& backend, Log& log, ProcessOptions options);
    ~Process();

    // Loads the program (throws UserError for a bad file) and runs it to its end.
    ExitStatus run(const std::string& path, const std::vector<std::string>& argv, const std::vector<std::string>& envp);

    AddressSpace& memory() { return memory_; }
    GuestAbi& abi() { return *abi_; }
    Engine& engine() { return engine_; }
    Log& log() { return log_; }
    const std::string& exe_path() const { return exe_path_; }
    // -L: absolute guest paths that exist under this prefix are opened there (as QEMU does).
    const std::string& path_prefix() const { return options_.interp_prefix; }
    int pid() const { return pid_; }

    // Memory management state for brk/mmap.
    std::mutex& mm_mutex() { return mm_mutex_; }
    uint64_t brk_start = 0, brk_current = 0;
    uint64_t mmap_top = 0;

    // Signals.
    GuestSigaction sigaction(int sig);
    void set_sigaction(int sig, const GuestSigaction& action);
    // Queues a signal for a thread (tid) or the process (tid == 0); wakes the target.
    bool send_signal(int tid, const SignalInfo& info);
    void update_mask(Thread& t, uint64_t mask);
    uint64_t pending_signals(Thread& t);
    uint64_t sigreturn_trampoline() const { return trampoline_; }

    // Threads.
    int spawn_thread(Thread& parent, uint64_t flags, uint64_t stack, uint64_t tls, uint64_t child_tid_addr,
                     uint64_t parent_tid_addr);
    void exit_thread(Thread& t, int code);
    // Ends the whole process. With other threads still running the host process exits at once
    // (they may be blocked in host system calls); otherwise the run loop returns.
    void exit_group(int code);
    bool finished() const { return finished_.load(); }
    size_t thread_count();

private:
    void run_thread(Thread& t);
    void handle_exception(Thread& t);
    void deliver_signals(Thread& t);
    bool deliver(Thread& t, const SignalInfo& info);
    void finish(ExitStatus status);
    void setup_stack(const std::string& path, const std::vector<std::string>& argv,
                     const std::vector<std::string>& envp, const struct ElfImage& image, uint64_t& sp);

    std::unique_ptr<GuestAbi> abi_;
    Log& log_;
    ProcessOptions options_;
    AddressSpace memory_;
    Engine engine_;
    std::string exe_path_;
    int pid_;
    uint64_t trampoline_ = 0;

    std::mutex mm_mutex_;
    std::mutex signal_mutex_;
    std::array<GuestSigaction, kMaxSignal + 1> actions_{};
    std::mutex threads_mutex_;
    std::list<std::unique_ptr<Thread>> threads_;

    std::mutex exit_mutex_;
    std::condition_variable exit_cv_;
    std::atomic<bool> finished_{false};
    ExitStatus status_;
};

}  // namespace mimic::user
