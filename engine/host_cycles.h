// The host's cycle counter, for statistics (-d stats: the share of time spent in helpers). The
// LLVM tier reads the same counter with llvm.readcyclecounter.
#pragma once

#include <chrono>
#include <cstdint>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace mimic {

inline uint64_t host_cycles() {
#if defined(__x86_64__)
    return __rdtsc();
#else
    return uint64_t(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

}  // namespace mimic
