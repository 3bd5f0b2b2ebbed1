// The command line of Linux user mode (mimic-<arch> [options] program [args]), with QEMU-user's
// option names. Parsing is separate from main() so that tests can reach it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mimic::user {

struct UserOptions {
    std::string program;
    std::vector<std::string> args;   // argv of the guest, program name first
    std::vector<std::string> env;    // the guest's environment
    std::string log_items;           // -d
    std::string log_file;            // -D
    std::string interp_prefix;       // -L
    std::string cpu = "max";         // -cpu
    std::string tier = "tiered";     // -tier (Mimic's own): interp, baseline, llvm, tiered or lockstep
    uint64_t tier_threshold = 2000;  // -tier-threshold: runs before a block goes to LLVM
    bool strace = false;
    bool one_insn_per_tb = false;
    bool perfmap = false;           // -perfmap
    uint64_t stack_size = 8 << 20;  // -s

    // What main() does instead of running a program.
    enum class Action { kRun, kHelp, kVersion, kLogHelp, kCpuHelp } action = Action::kRun;
};

// Parses argv (argv[0] is the binary's name). The host environment seeds the guest's, as in QEMU.
// Throws UserError with a one-line message for a bad command line.
UserOptions parse_user_options(int argc, const char* const* argv, const char* const* host_env);

std::string user_usage(const std::string& binary);

}  // namespace mimic::user
