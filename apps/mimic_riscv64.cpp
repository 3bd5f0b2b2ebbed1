// mimic-riscv64: Linux user mode for riscv64 programs.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "backends/baseline/baseline.h"
#include "backends/interp/interp.h"
#include "backends/llvm/llvm_backend.h"
#include "backends/lockstep/lockstep.h"
#include "frontends/riscv/cpu.h"
#include "user/elf_loader.h"
#include "user/options.h"
#include "user/process.h"

extern char** environ;

namespace {

// Dies of the guest's fatal signal so that the caller sees the same wait status, as qemu-user does.
[[noreturn]] void die_by_signal(int sig) {
    std::fprintf(stderr, "mimic: uncaught target signal %d (%s) - core dumped\n", sig, strsignal(sig));
    std::fflush(stderr);
    struct rlimit no_core {
        0, 0
    };
    setrlimit(RLIMIT_CORE, &no_core);
    std::signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, nullptr);
    kill(getpid(), sig);
    std::_Exit(128 + sig);
}

// -tier lockstep: reports name registers as x10 (a0), f10 (fa0); the counter CSRs' helpers give
// both tiers the same readings.
mimic::lockstep::LockstepOptions lockstep_options() {
    using namespace mimic;
    lockstep::LockstepOptions o;
    o.register_name = [](size_t index, const ir::GlobalInfo& global) {
        if (index >= riscv::kGlobalX0 && index < riscv::kGlobalX0 + 32)
            return "x" + std::to_string(index - riscv::kGlobalX0) + " (" + std::string(global.name) + ")";
        if (index >= riscv::kGlobalF0 && index < riscv::kGlobalF0 + 32)
            return "f" + std::to_string(index - riscv::kGlobalF0) + " (" + std::string(global.name) + ")";
        return std::string(global.name);
    };
    o.replayed_helpers = {"read_cycle", "read_time"};
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace mimic;
    const char* binary = "mimic-riscv64";
    try {
        const user::UserOptions opts = user::parse_user_options(argc, argv, environ);
        switch (opts.action) {
            case user::UserOptions::Action::kHelp: std::fputs(user::user_usage(binary).c_str(), stdout); return 0;
            case user::UserOptions::Action::kVersion: std::printf("%s version " MIMIC_VERSION "\n", binary); return 0;
            case user::UserOptions::Action::kLogHelp: std::fputs(Log::item_help().c_str(), stdout); return 0;
            case user::UserOptions::Action::kCpuHelp:
                std::puts("Available CPUs:\n  max   RV64GC + Zba Zbb Zbs (alias: rv64, any)");
                return 0;
            case user::UserOptions::Action::kRun: break;
        }

        Log log;
        if (const char* items = std::getenv("MIMIC_LOG"))  // QEMU_LOG's counterpart: -d items for every run
            if (auto err = log.parse_items(items); !err.empty()) throw user::UserError("MIMIC_LOG: " + err);
        if (auto err = log.parse_items(opts.log_items); !err.empty()) throw user::UserError(err);
        if (!opts.log_file.empty())
            if (auto err = log.open(opts.log_file); !err.empty()) throw user::UserError(err);
        if (opts.strace) log.enable(kLogStrace);
        if (opts.perfmap)
            if (auto err = log.open_perf_map(); !err.empty()) throw user::UserError(err);

        interp::InterpreterBackend interp(MemoryModel::kFlat, log.enabled(kLogStats));
        // Tiered mode starts blocks in the interpreter and moves warm ones to the baseline tier,
        // which counts their runs for the tier-up.
        const bool tiered = opts.tier == "tiered";
        baseline::BaselineBackend baseline(MemoryModel::kFlat, tiered ? opts.tier_threshold : 0);
        std::unique_ptr<jit::LlvmBackend> llvm;
        if (opts.tier == "llvm" || opts.tier == "lockstep" || tiered)
            llvm = std::make_unique<jit::LlvmBackend>(MemoryModel::kFlat, &log);
        // Lockstep: the interpreter is the reference the LLVM tier is checked against, block by block.
        std::unique_ptr<lockstep::LockstepBackend> checked;
        if (opts.tier == "lockstep")
            checked = std::make_unique<lockstep::LockstepBackend>(interp, *llvm, lockstep_options());
        Backend& backend = opts.tier == "llvm"       ? static_cast<Backend&>(*llvm)
                           : opts.tier == "lockstep" ? static_cast<Backend&>(*checked)
                           : opts.tier == "baseline" ? static_cast<Backend&>(baseline)
                                                     : interp;
        user::ProcessOptions popts;
        if (tiered) {
            popts.warm_up = &baseline;
            popts.tier_up = llvm.get();
            popts.tier_up_threshold = opts.tier_threshold;
        }
        popts.interp_prefix = opts.interp_prefix;
        popts.max_insns_per_block = opts.one_insn_per_tb ? 1 : 256;
        popts.stack_size = opts.stack_size;
        user::Process process(user::make_riscv64_abi(), backend, log, popts);
        const auto start = std::chrono::steady_clock::now();
        const user::ExitStatus status = process.run(opts.program, opts.args, opts.env);
        process.engine().log_stats(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        if (status.signal) die_by_signal(status.signal);
        // As qemu-user does on exit_group: leave at once. Tearing down would wait for a
        // background compile in progress, which can take longer than a short program ran.
        std::fflush(nullptr);
        std::_Exit(status.code);
    } catch (const std::exception& e) {
        // A bad option or input file, or a host resource that cannot be had: one line, exit 1.
        std::fprintf(stderr, "%s: %s\n", binary, e.what());
        return 1;
    }
}
