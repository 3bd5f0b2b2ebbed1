// Goldfish RTC. The alarm is a wall-clock time; it is turned into a deadline on the machine's
// virtual clock when armed, and checked again when the timer fires (a stale or early callback,
// or a guest that moved the clock, must not raise the interrupt before its time).
#include "devices/goldfish_rtc/goldfish_rtc.h"

#include <chrono>

#include "devices/device_log.h"

namespace mimic::devices {

namespace {

uint64_t host_realtime_ns() {
    return uint64_t(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

}  // namespace

GoldfishRtc::GoldfishRtc(TimerService& timers, IrqLine irq, Log* log)
    : timers_(timers), irq_(irq), log_(log), timer_(timers, [this] { alarm_expired(); }) {}

void GoldfishRtc::guest_error(const char* what, uint64_t offset) {
    if (log_enabled(log_, kLogGuestErrors))
        log_->printf("goldfish_rtc: %s at offset 0x%llx\n", what, (unsigned long long)offset);
}

uint64_t GoldfishRtc::now_locked() const {
    return host_realtime_ns() + offset_ns_;
}

void GoldfishRtc::update_irq_locked() {
    const bool level = irq_pending_ && irq_enabled_;
    if (level == irq_level_) return;
    irq_level_ = level;
    irq_.set(level);
}

void GoldfishRtc::arm_locked() {
    const uint64_t now = now_locked();
    if (alarm_ns_ <= now) {
        alarm_running_ = false;
        irq_pending_ = true;
        update_irq_locked();
        return;
    }
    alarm_running_ = true;
    const uint64_t delta = alarm_ns_ - now;
    const uint64_t virt_now = timers_.clock().now_ns();
    timer_.arm(delta > ~uint64_t(0) - virt_now ? ~uint64_t(0) : virt_now + delta);
}

void GoldfishRtc::alarm_expired() {
    std::lock_guard lock(mutex_);
    if (alarm_running_) arm_locked();  // fires now, or re-arms for the time still to go
}

uint64_t GoldfishRtc::read(uint64_t offset, unsigned size) {
    std::lock_guard lock(mutex_);
    switch (offset) {
        case kTimeLow: {
            const uint64_t now = now_locked();
            time_high_ = uint32_t(now >> 32);
            return uint32_t(now);
        }
        case kTimeHigh: return time_high_;
        case kAlarmLow: return uint32_t(alarm_ns_);
        case kAlarmHigh: return uint32_t(alarm_ns_ >> 32);
        case kIrqEnabled: return irq_enabled_;
        case kAlarmStatus: return alarm_running_;
        default: guest_error("read of a register that does not exist", offset); return 0;
    }
}

void GoldfishRtc::write(uint64_t offset, unsigned size, uint64_t value) {
    std::lock_guard lock(mutex_);
    const uint32_t v = uint32_t(value);
    switch (offset) {
        case kTimeLow:
        case kTimeHigh: {
            // Setting either half keeps the other half of the current time, as QEMU does.
            const uint64_t now = now_locked();
            const uint64_t set =
                offset == kTimeLow ? (now & ~uint64_t(0xffffffff)) | v : (now & 0xffffffff) | (uint64_t(v) << 32);
            offset_ns_ += set - now;
            break;
        }
        case kAlarmLow:
            alarm_ns_ = (alarm_ns_ & ~uint64_t(0xffffffff)) | v;
            arm_locked();
            break;
        case kAlarmHigh: alarm_ns_ = (alarm_ns_ & 0xffffffff) | (uint64_t(v) << 32); break;
        case kIrqEnabled:
            irq_enabled_ = v & 1;
            update_irq_locked();
            break;
        case kClearAlarm: alarm_running_ = false; break;  // a timer still armed finds nothing to do
        case kClearInterrupt:
            irq_pending_ = false;
            update_irq_locked();
            break;
        default: guest_error("write to a register that does not exist", offset); break;
    }
}

}  // namespace mimic::devices
