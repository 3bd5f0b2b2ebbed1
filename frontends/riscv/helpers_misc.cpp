// Helpers for memory ordering and the user-readable counters.
#include <atomic>
#include <chrono>

#include "frontends/riscv/helpers.h"

namespace mimic::riscv {

uint64_t helper_fence(CpuHeader*, uint64_t, uint64_t, uint64_t, uint64_t) {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    return 0;
}

// Linux reports a 10 MHz timebase for QEMU's virt board; user mode keeps that frequency.
uint64_t helper_read_time(CpuHeader*, uint64_t, uint64_t, uint64_t, uint64_t) {
    const auto now = std::chrono::steady_clock::now().time_since_epoch();
    return uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count() / 100);
}

uint64_t helper_read_cycle(CpuHeader* env, uint64_t, uint64_t, uint64_t, uint64_t) {
    return helper_read_time(env, 0, 0, 0, 0);
}

}  // namespace mimic::riscv
