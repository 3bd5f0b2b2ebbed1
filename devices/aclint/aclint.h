// SiFive CLINT / ACLINT MSWI + MTIMER as on QEMU virt (0x2000000, size 0x10000): msip[h] at 4*h,
// mtimecmp[h] at 0x4000 + 8*h, mtime at 0xbff8, a 10 MHz timebase from the machine's VirtualClock.
// Per hart it drives two lines: the machine software interrupt (MSIP) and the timer (MTIP).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "devices/clock.h"
#include "devices/device.h"
#include "devices/irq.h"
#include "engine/log.h"

namespace mimic::devices {

class Aclint final : public MmioDevice {
public:
    static constexpr uint64_t kMtimecmpBase = 0x4000;
    static constexpr uint64_t kMtime = 0xbff8;
    static constexpr uint64_t kRegionSize = 0x10000;
    static constexpr uint64_t kDefaultTimebaseHz = 10'000'000;

    struct HartLines {
        IrqLine msip;
        IrqLine mtip;
    };

    // One entry of `harts` per hart, hart ids from 0.
    Aclint(TimerService& timers, std::vector<HartLines> harts, Log* log = nullptr,
           uint64_t timebase_hz = kDefaultTimebaseHz);

    std::string_view name() const override { return "aclint"; }
    // msip takes 4-byte accesses only; other sizes there are logged and ignored.
    unsigned access_sizes() const override { return kSize4 | kSize8; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;

    // The current mtime, lock-free: the source of the CPUs' `time` CSR.
    uint64_t mtime() const {
        return timers_.clock().now_ticks(timebase_hz_) + mtime_offset_.load(std::memory_order_relaxed);
    }
    uint64_t timebase_hz() const { return timebase_hz_; }

private:
    struct Hart {
        HartLines lines;
        uint64_t mtimecmp = ~uint64_t(0);  // reset: never
        bool msip = false;
        bool mtip = false;
    };

    void update_timer_locked(unsigned hart);  // compares mtime with mtimecmp; raises MTIP or arms the timer
    void guest_error(const char* what, uint64_t offset, uint64_t value);

    TimerService& timers_;
    const uint64_t timebase_hz_;
    Log* const log_;
    std::atomic<uint64_t> mtime_offset_{0};  // mtime minus the clock's ticks, wrapping (written under mutex_)

    std::mutex mutex_;
    std::vector<Hart> harts_;
    std::vector<std::unique_ptr<Timer>> hart_timers_;  // last: destroyed first, before the state they use
};

}  // namespace mimic::devices
