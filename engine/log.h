// Diagnostic logging selected with -d (QEMU's item names) and sent to -D's file or stderr.
// One Log per machine or process: no global state.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "engine/perf_map.h"

namespace mimic {

enum LogItem : uint32_t {
    kLogInAsm = 1 << 0,        // in_asm: guest code of each translated block
    kLogOp = 1 << 1,           // op: IR as the frontend emitted it
    kLogOpOpt = 1 << 2,        // op_opt: IR after each pass
    kLogOutAsm = 1 << 3,       // out_asm: the backend's form of each block
    kLogExec = 1 << 4,         // exec: every block executed
    kLogCpu = 1 << 5,          // cpu: registers before each block
    kLogInt = 1 << 6,          // int: exceptions and interrupts
    kLogUnimp = 1 << 7,        // unimp: unimplemented instructions and syscalls
    kLogGuestErrors = 1 << 8,  // guest_errors: bad guest behaviour the machine tolerates
    kLogStrace = 1 << 9,       // strace: system calls (user mode's -strace)
    kLogNoChain = 1 << 10,     // nochain: do not chain blocks (debugging)
    kLogLlvmIr = 1 << 11,      // llvm_ir: the LLVM IR of each unit the LLVM tier compiles
    kLogStats = 1 << 12,       // stats: translator statistics at exit
    kLogVerifyIr = 1 << 13,    // verify_ir: check each block's IR after optimization
};

class Log {
public:
    Log() = default;
    ~Log();
    Log(const Log&) = delete;
    Log& operator=(const Log&) = delete;

    // Parses a comma-separated -d list; returns an error message for an unknown item. `all` is
    // every item that logs, not the ones that change what the translator does (nochain,
    // verify_ir).
    std::string parse_items(std::string_view list);
    // Opens -D's file (truncating it, as QEMU does); returns an error message on failure.
    std::string open(const std::string& path);
    static std::string item_help();

    bool enabled(uint32_t items) const { return (mask_ & items) != 0; }
    void enable(uint32_t items) { mask_ |= items; }
    uint32_t mask() const { return mask_; }

    // -perfmap: from now on, the tiers' host code is listed in perf's map file. Returns an error
    // message on failure.
    std::string open_perf_map();
    PerfMap* perf_map() const { return perf_map_.get(); }

    void write(std::string_view text);
    void printf(const char* fmt, ...) __attribute__((format(printf, 2, 3)));

private:
    uint32_t mask_ = 0;
    FILE* file_ = nullptr;  // nullptr: stderr
    std::mutex mutex_;
    std::unique_ptr<PerfMap> perf_map_;
};

}  // namespace mimic
