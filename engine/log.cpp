// Log: -d item parsing and serialized output.
#include "engine/log.h"

#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <stdexcept>
#include <string>

namespace mimic {
namespace {

struct ItemName {
    std::string_view name;
    uint32_t bit;
    std::string_view help;
};

constexpr ItemName kItems[] = {
    {"in_asm", kLogInAsm, "show guest code of each translated block"},
    {"op", kLogOp, "show IR as emitted by the frontend"},
    {"op_opt", kLogOpOpt, "show IR after each optimization pass"},
    {"out_asm", kLogOutAsm, "show the backend's form of each block"},
    {"exec", kLogExec, "show every block executed"},
    {"cpu", kLogCpu, "show CPU registers before each block"},
    {"int", kLogInt, "show exceptions and interrupts"},
    {"unimp", kLogUnimp, "log unimplemented instructions and system calls"},
    {"guest_errors", kLogGuestErrors, "log invalid guest actions"},
    {"strace", kLogStrace, "log system calls"},
    {"nochain", kLogNoChain, "do not chain translated blocks"},
    {"stats", kLogStats, "translator statistics at exit (one mimic-stats: line)"},
    {"llvm_ir", kLogLlvmIr, "the LLVM IR of each unit the LLVM tier compiles (after optimization)"},
    {"verify_ir", kLogVerifyIr, "check each block's IR after optimization (slower; the tests turn it on)"},
};

}  // namespace

Log::~Log() {
    if (file_) std::fclose(file_);
}

std::string Log::parse_items(std::string_view list) {
    while (!list.empty()) {
        const size_t comma = list.find(',');
        const std::string_view item = list.substr(0, comma);
        bool found = false;
        for (const ItemName& it : kItems) {
            if (it.name == item) mask_ |= it.bit, found = true;
        }
        if (item == "all") {
            for (const ItemName& it : kItems)
                if (!(it.bit & (kLogNoChain | kLogVerifyIr))) mask_ |= it.bit;
            found = true;
        }
        if (!found) return "unknown -d item '" + std::string(item) + "' (try -d help)";
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return {};
}

std::string Log::item_help() {
    std::string out = "Log items (comma separated):\n";
    for (const ItemName& it : kItems) {
        out += "  " + std::string(it.name);
        out.append(14 - std::min<size_t>(13, it.name.size()), ' ');
        out += std::string(it.help) + "\n";
    }
    return out;
}

std::string Log::open(const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "w");
    if (!f) return "cannot open log file '" + path + "': " + std::strerror(errno);
    if (file_) std::fclose(file_);
    file_ = f;
    return {};
}

std::string Log::open_perf_map() {
    try {
        perf_map_ = std::make_unique<PerfMap>();
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

void Log::write(std::string_view text) {
    std::lock_guard lock(mutex_);
    FILE* out = file_ ? file_ : stderr;
    std::fwrite(text.data(), 1, text.size(), out);
    std::fflush(out);
}

// Whole messages, however long (a unit's host code runs to tens of kilobytes).
void Log::printf(const char* fmt, ...) {
    char buf[1024];
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    const int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0 && size_t(n) < sizeof buf) {
        write(std::string_view(buf, size_t(n)));
    } else if (n > 0) {
        std::string text(size_t(n) + 1, '\0');
        std::vsnprintf(text.data(), text.size(), fmt, again);
        text.pop_back();
        write(text);
    }
    va_end(again);
}

}  // namespace mimic
