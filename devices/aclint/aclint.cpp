// ACLINT (CLINT) model. Each hart's timer is re-armed on every mtimecmp or mtime write; its
// callback compares again under the lock, so a callback from an older deadline does no harm.
#include "devices/aclint/aclint.h"

#include "devices/device_log.h"

namespace mimic::devices {

namespace {

// The first virtual time (ns) at which a `hz` counter shows `ticks`: ticks_to_ns rounded up.
uint64_t ticks_to_deadline_ns(uint64_t ticks, uint64_t hz) {
    const unsigned __int128 ns = ((unsigned __int128)ticks * 1'000'000'000u + hz - 1) / hz;
    return ns > ~uint64_t(0) ? ~uint64_t(0) : uint64_t(ns);
}

uint64_t deposit_half(uint64_t old, uint64_t offset, uint64_t value) {
    return (offset & 4) ? (old & 0xffffffffu) | (value << 32) : (old & ~uint64_t(0xffffffffu)) | uint32_t(value);
}

}  // namespace

Aclint::Aclint(TimerService& timers, std::vector<HartLines> harts, Log* log, uint64_t timebase_hz)
    : timers_(timers), timebase_hz_(timebase_hz), log_(log) {
    for (const HartLines& lines : harts) harts_.push_back(Hart{lines});
    for (unsigned h = 0; h < harts_.size(); ++h) {
        hart_timers_.push_back(std::make_unique<Timer>(timers_, [this, h] {
            std::lock_guard lock(mutex_);
            update_timer_locked(h);
        }));
    }
}

void Aclint::guest_error(const char* what, uint64_t offset, uint64_t value) {
    if (log_enabled(log_, kLogGuestErrors))
        log_->printf("aclint: %s at offset 0x%llx (value 0x%llx)\n", what, (unsigned long long)offset,
                     (unsigned long long)value);
}

void Aclint::update_timer_locked(unsigned hart) {
    Hart& h = harts_[hart];
    const uint64_t ticks = timers_.clock().now_ticks(timebase_hz_);
    const uint64_t now = ticks + mtime_offset_.load(std::memory_order_relaxed);
    const bool level = now >= h.mtimecmp;
    if (level != h.mtip) {
        h.mtip = level;
        h.lines.mtip.set(level);
    }
    if (level) return;
    const uint64_t to_go = h.mtimecmp - now;
    const uint64_t target = to_go > ~uint64_t(0) - ticks ? ~uint64_t(0) : ticks + to_go;
    hart_timers_[hart]->arm(ticks_to_deadline_ns(target, timebase_hz_));
}

uint64_t Aclint::read(uint64_t offset, unsigned size) {
    std::lock_guard lock(mutex_);
    if (offset < kMtimecmpBase) {
        const uint64_t hart = offset / 4;
        if (size != 4) {
            guest_error("msip read that is not 4 bytes", offset, 0);
            return 0;
        }
        if (hart < harts_.size()) return harts_[hart].msip;
    } else if (offset >= kMtime && offset < kMtime + 8) {
        const uint64_t now = mtime();
        return size == 8 ? now : uint32_t(now >> ((offset & 4) * 8));
    } else if (offset < kMtime) {
        const uint64_t hart = (offset - kMtimecmpBase) / 8;
        if (hart < harts_.size()) {
            const uint64_t cmp = harts_[hart].mtimecmp;
            return size == 8 ? cmp : uint32_t(cmp >> ((offset & 4) * 8));
        }
    }
    guest_error("read of a register that does not exist", offset, 0);
    return 0;
}

void Aclint::write(uint64_t offset, unsigned size, uint64_t value) {
    std::lock_guard lock(mutex_);
    if (offset < kMtimecmpBase) {
        const uint64_t hart = offset / 4;
        if (size != 4) {
            guest_error("msip write that is not 4 bytes", offset, value);
            return;
        }
        if (hart < harts_.size()) {
            Hart& h = harts_[hart];
            const bool level = value & 1;
            if (level != h.msip) {
                h.msip = level;
                h.lines.msip.set(level);
            }
            return;
        }
    } else if (offset >= kMtime && offset < kMtime + 8) {
        const uint64_t ticks = timers_.clock().now_ticks(timebase_hz_);
        const uint64_t now = ticks + mtime_offset_.load(std::memory_order_relaxed);
        const uint64_t set = size == 8 ? value : deposit_half(now, offset, value);
        mtime_offset_.store(set - ticks, std::memory_order_relaxed);
        for (unsigned h = 0; h < harts_.size(); ++h) update_timer_locked(h);
        return;
    } else if (offset < kMtime) {
        const uint64_t hart = (offset - kMtimecmpBase) / 8;
        if (hart < harts_.size()) {
            Hart& h = harts_[hart];
            h.mtimecmp = size == 8 ? value : deposit_half(h.mtimecmp, offset, value);
            update_timer_locked(unsigned(hart));
            return;
        }
    }
    guest_error("write to a register that does not exist", offset, value);
}

}  // namespace mimic::devices
