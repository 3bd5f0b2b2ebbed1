// Command-line parsing for user mode.
#include "user/options.h"

#include <algorithm>
#include <cstdlib>

#include "user/elf_loader.h"

namespace mimic::user {
namespace {

uint64_t parse_size(const std::string& s) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(s.c_str(), &end, 0);
    uint64_t mult = 1;
    if (end && *end) {
        switch (*end) {
            case 'k':
            case 'K': mult = 1 << 10; break;
            case 'm':
            case 'M': mult = 1 << 20; break;
            case 'g':
            case 'G': mult = 1 << 30; break;
            default: throw UserError("invalid size '" + s + "'");
        }
        if (end[1]) throw UserError("invalid size '" + s + "'");
    }
    if (end == s.c_str() || v == 0) throw UserError("invalid size '" + s + "'");
    return v * mult;
}

void unset(std::vector<std::string>& env, const std::string& name) {
    std::erase_if(env, [&](const std::string& e) { return e.compare(0, name.size() + 1, name + "=") == 0; });
}

}  // namespace

UserOptions parse_user_options(int argc, const char* const* argv, const char* const* host_env) {
    UserOptions o;
    for (const char* const* e = host_env; e && *e; ++e) o.env.emplace_back(*e);

    int i = 1;
    auto value = [&](const std::string& opt) -> std::string {
        if (i + 1 >= argc) throw UserError("option '" + opt + "' needs an argument");
        return argv[++i];
    };
    for (; i < argc; ++i) {
        std::string opt = argv[i];
        if (opt.empty() || opt[0] != '-') break;
        if (opt == "--") {
            ++i;
            break;
        }
        if (opt.size() > 2 && opt[1] == '-') opt.erase(0, 1);  // --help works like -help
        if (opt == "-h" || opt == "-help") {
            o.action = UserOptions::Action::kHelp;
            return o;
        } else if (opt == "-version") {
            o.action = UserOptions::Action::kVersion;
            return o;
        } else if (opt == "-d") {
            o.log_items = value(opt);
            if (o.log_items == "help") {
                o.action = UserOptions::Action::kLogHelp;
                return o;
            }
        } else if (opt == "-D") {
            o.log_file = value(opt);
        } else if (opt == "-L") {
            o.interp_prefix = value(opt);
        } else if (opt == "-E") {
            const std::string kv = value(opt);
            const size_t eq = kv.find('=');
            if (eq == std::string::npos || eq == 0) throw UserError("-E expects var=value, got '" + kv + "'");
            unset(o.env, kv.substr(0, eq));
            o.env.push_back(kv);
        } else if (opt == "-U") {
            unset(o.env, value(opt));
        } else if (opt == "-strace") {
            o.strace = true;
        } else if (opt == "-one-insn-per-tb" || opt == "-singlestep") {
            o.one_insn_per_tb = true;
        } else if (opt == "-perfmap") {
            o.perfmap = true;
        } else if (opt == "-cpu") {
            o.cpu = value(opt);
            if (o.cpu == "help") {
                o.action = UserOptions::Action::kCpuHelp;
                return o;
            }
            if (o.cpu != "max" && o.cpu != "rv64" && o.cpu != "any")
                throw UserError("unknown CPU model '" + o.cpu + "' (try -cpu help)");
        } else if (opt == "-s") {
            o.stack_size = parse_size(value(opt));
        } else if (opt == "-tier") {
            o.tier = value(opt);
            if (o.tier != "interp" && o.tier != "baseline" && o.tier != "llvm" && o.tier != "tiered" &&
                o.tier != "lockstep")
                throw UserError("unknown tier '" + o.tier + "' (interp, baseline, llvm, tiered or lockstep)");
        } else if (opt == "-tier-threshold") {
            const std::string v = value(opt);
            char* end = nullptr;
            o.tier_threshold = std::strtoull(v.c_str(), &end, 10);
            if (v.empty() || *end || o.tier_threshold == 0)
                throw UserError("-tier-threshold: '" + v + "' is not a positive number of runs");
        } else {
            throw UserError("unknown option '" + std::string(argv[i]) + "' (try -h)");
        }
    }
    if (i >= argc) throw UserError("no program given (try -h)");
    o.program = argv[i];
    for (; i < argc; ++i) o.args.emplace_back(argv[i]);
    return o;
}

std::string user_usage(const std::string& binary) {
    return "usage: " + binary +
           " [options] program [arguments...]\n"
           "Runs a Linux program built for another architecture (Mimic user mode).\n\n"
           "Options (QEMU-user's names):\n"
           "  -h, -help            print this help and exit\n"
           "  -version             print the version and exit\n"
           "  -d item[,...]        log items (-d help lists them)\n"
           "  -D logfile           write the log to logfile instead of stderr\n"
           "  -L path              the guest's root for its dynamic linker and libraries\n"
           "  -E var=value         set a variable in the guest's environment\n"
           "  -U var               remove a variable from the guest's environment\n"
           "  -strace              log system calls\n"
           "  -one-insn-per-tb     translate one guest instruction per block\n"
           "  -perfmap             list generated code in /tmp/perf-<pid>.map for perf\n"
           "  -cpu model           CPU model (-cpu help lists them)\n"
           "  -s size              stack size (default 8M)\n"
           "  -tier T              execution tier: interp (the interpreter), baseline (every\n"
           "                       block compiled by templates), llvm (every block by LLVM),\n"
           "                       tiered (baseline, then hot code to LLVM in the background;\n"
           "                       the default) or lockstep (every block on interp and llvm,\n"
           "                       reporting the first difference)\n"
           "  -tier-threshold N    runs before a block is hot (tiered; default 2000)\n";
}

}  // namespace mimic::user
