// perf's map of JIT code (-perfmap, as in QEMU): /tmp/perf-<pid>.map, one line per block or region
// of host code, so that `perf report` names samples in generated code by tier and guest pc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace mimic {

class PerfMap {
public:
    // Creates or truncates /tmp/perf-<pid>.map; throws std::runtime_error with a one-line message
    // when it cannot.
    PerfMap();
    ~PerfMap();
    PerfMap(const PerfMap&) = delete;
    PerfMap& operator=(const PerfMap&) = delete;

    // Thread-safe: the vCPU threads and the compile thread add code. Blocks the tier has no host
    // code for (code == nullptr) are left out.
    void add(const void* code, size_t size, std::string_view tier, uint64_t guest_pc, size_t blocks = 1);

private:
    std::mutex mutex_;
    std::FILE* file_ = nullptr;
};

}  // namespace mimic
