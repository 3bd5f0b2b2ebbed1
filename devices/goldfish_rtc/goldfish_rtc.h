// Goldfish RTC (QEMU virt's "google,goldfish-rtc" at 0x101000): host real time in ns since the
// epoch, and one alarm that raises the interrupt output. Linux's rtc-goldfish driver is the user.
#pragma once

#include <cstdint>
#include <mutex>

#include "devices/clock.h"
#include "devices/device.h"
#include "devices/irq.h"
#include "engine/log.h"

namespace mimic::devices {

class GoldfishRtc final : public MmioDevice {
public:
    enum Reg : uint64_t {
        kTimeLow = 0x00,  // reading it latches kTimeHigh
        kTimeHigh = 0x04,
        kAlarmLow = 0x08,  // writing it arms the alarm at ALARM_HIGH:ALARM_LOW
        kAlarmHigh = 0x0c,
        kIrqEnabled = 0x10,
        kClearAlarm = 0x14,
        kAlarmStatus = 0x18,
        kClearInterrupt = 0x1c,
    };

    GoldfishRtc(TimerService& timers, IrqLine irq, Log* log = nullptr);

    std::string_view name() const override { return "goldfish_rtc"; }
    unsigned access_sizes() const override { return kSize4; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;

private:
    uint64_t now_locked() const;  // the guest's RTC time, ns since the epoch
    void arm_locked();
    void alarm_expired();  // the timer's callback
    void update_irq_locked();
    void guest_error(const char* what, uint64_t offset);

    TimerService& timers_;
    const IrqLine irq_;
    Log* const log_;

    std::mutex mutex_;
    uint64_t offset_ns_ = 0;  // guest RTC minus host real time, wrapping (the guest may set the clock)
    uint32_t time_high_ = 0;
    uint64_t alarm_ns_ = 0;
    bool alarm_running_ = false;
    bool irq_pending_ = false;
    bool irq_enabled_ = false;
    bool irq_level_ = false;
    Timer timer_;  // last: destroyed first, while the state its callback uses still exists
};

}  // namespace mimic::devices
