// Goldfish RTC: host real time with the TIME_LOW latch, setting the time, and the alarm interrupt.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "devices/goldfish_rtc/goldfish_rtc.h"
#include "tests/devices/device_test_util.h"

using namespace mimic::devices;
using mimic::devices::test::RecordingIrqSink;
using Reg = GoldfishRtc;

namespace {

uint64_t host_now_ns() {
    return uint64_t(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

uint64_t read_time(GoldfishRtc& rtc) {
    const uint64_t low = rtc.read(Reg::kTimeLow, 4);
    return low | rtc.read(Reg::kTimeHigh, 4) << 32;
}

void set_alarm(GoldfishRtc& rtc, uint64_t ns) {
    rtc.write(Reg::kAlarmHigh, 4, ns >> 32);
    rtc.write(Reg::kAlarmLow, 4, uint32_t(ns));
}

constexpr uint64_t kSecond = 1'000'000'000;

struct Fixture {
    VirtualClock clock;
    TimerService timers{clock};
    RecordingIrqSink sink;
    GoldfishRtc rtc{timers, sink.line(11)};
};

}  // namespace

TEST_CASE("Goldfish RTC reads host real time, TIME_LOW latches TIME_HIGH", "[devices]") {
    Fixture f;
    const uint64_t before = host_now_ns();
    const uint64_t t = read_time(f.rtc);
    const uint64_t after = host_now_ns();
    CHECK(t >= before);
    CHECK(t <= after);
    // The latch: TIME_HIGH keeps the value of the last TIME_LOW read.
    const uint64_t high = f.rtc.read(Reg::kTimeHigh, 4);
    CHECK(high == (t >> 32));
}

TEST_CASE("Goldfish RTC time can be set by the guest", "[devices]") {
    Fixture f;
    const uint64_t target = 1'000'000'000ull * kSecond;  // 2001-09-09
    f.rtc.write(Reg::kTimeHigh, 4, target >> 32);
    f.rtc.write(Reg::kTimeLow, 4, uint32_t(target));
    const uint64_t t = read_time(f.rtc);
    CHECK(t >= target);
    CHECK(t < target + 60 * kSecond);
}

TEST_CASE("Goldfish RTC alarm raises the interrupt when its time comes", "[devices]") {
    Fixture f;
    f.rtc.write(Reg::kIrqEnabled, 4, 1);
    CHECK(f.rtc.read(Reg::kIrqEnabled, 4) == 1);
    const uint64_t alarm = read_time(f.rtc) + kSecond / 5;
    set_alarm(f.rtc, alarm);
    CHECK(f.rtc.read(Reg::kAlarmLow, 4) == uint32_t(alarm));
    CHECK(f.rtc.read(Reg::kAlarmHigh, 4) == alarm >> 32);
    CHECK(f.rtc.read(Reg::kAlarmStatus, 4) == 1);
    CHECK(f.sink.level(11) == false);
    REQUIRE(f.sink.wait_for(11, true));
    CHECK(read_time(f.rtc) >= alarm);
    CHECK(f.rtc.read(Reg::kAlarmStatus, 4) == 0);
    f.rtc.write(Reg::kClearInterrupt, 4, 1);
    CHECK(f.sink.level(11) == false);
}

TEST_CASE("Goldfish RTC alarm in the past is pending at once, IRQ_ENABLED gates the line", "[devices]") {
    Fixture f;
    set_alarm(f.rtc, read_time(f.rtc) - kSecond);
    CHECK(f.rtc.read(Reg::kAlarmStatus, 4) == 0);
    CHECK(f.sink.level(11) == false);  // interrupts disabled
    f.rtc.write(Reg::kIrqEnabled, 4, 1);
    CHECK(f.sink.level(11) == true);
    f.rtc.write(Reg::kIrqEnabled, 4, 0);
    CHECK(f.sink.level(11) == false);
}

TEST_CASE("Goldfish RTC cleared alarm does not fire", "[devices]") {
    Fixture f;
    f.rtc.write(Reg::kIrqEnabled, 4, 1);
    const uint64_t first = read_time(f.rtc) + kSecond / 20;
    set_alarm(f.rtc, first);
    f.rtc.write(Reg::kClearAlarm, 4, 1);
    CHECK(f.rtc.read(Reg::kAlarmStatus, 4) == 0);
    REQUIRE(mimic::devices::test::eventually([&] { return read_time(f.rtc) > first + kSecond / 10; }));
    CHECK(f.sink.events(11) == 0);

    // A new alarm after that still works.
    const uint64_t second = read_time(f.rtc) + kSecond / 20;
    set_alarm(f.rtc, second);
    REQUIRE(f.sink.wait_for(11, true));
    CHECK(read_time(f.rtc) >= second);
    CHECK(f.sink.events(11) == 1);
}
