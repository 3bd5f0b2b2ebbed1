// TimerService and Timer: firing, re-arming, cancelling, and waiting for a running callback.
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <thread>

#include "devices/clock.h"
#include "tests/devices/device_test_util.h"

using namespace mimic::devices;
using mimic::devices::test::eventually;

TEST_CASE("Timer fires once after its deadline", "[devices]") {
    VirtualClock clock;
    TimerService service(clock);
    std::atomic<int> fired{0};
    std::atomic<uint64_t> fired_at{0};
    Timer timer(service, [&] {
        fired_at = clock.now_ns();
        ++fired;
    });
    const uint64_t deadline = clock.now_ns() + 20'000'000;
    timer.arm(deadline);
    REQUIRE(eventually([&] { return fired == 1; }));
    CHECK(fired_at >= deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    CHECK(fired == 1);  // one-shot
}

TEST_CASE("Timer armed in the past fires at once, re-arming replaces the deadline", "[devices]") {
    VirtualClock clock;
    TimerService service(clock);
    std::atomic<int> a{0}, b{0};
    Timer ta(service, [&] { ++a; });
    Timer tb(service, [&] { ++b; });
    ta.arm(0);
    REQUIRE(eventually([&] { return a == 1; }));
    tb.arm(clock.now_ns() + 3600ull * 1'000'000'000);  // an hour away
    tb.arm(clock.now_ns() + 1'000'000);                // replaced by 1 ms
    REQUIRE(eventually([&] { return b == 1; }));
}

TEST_CASE("Cancelled timer does not fire, far and all-ones deadlines do not fire", "[devices]") {
    VirtualClock clock;
    TimerService service(clock);
    std::atomic<int> fired{0};
    Timer timer(service, [&] { ++fired; });
    Timer never(service, [&] { ++fired; });
    never.arm(~uint64_t(0));
    timer.arm(clock.now_ns() + 50'000'000);
    timer.cancel();
    std::atomic<bool> probe{false};
    Timer later(service, [&] { probe = true; });
    later.arm(clock.now_ns() + 100'000'000);
    REQUIRE(eventually([&] { return probe.load(); }));
    CHECK(fired == 0);
}

TEST_CASE("Timer destructor and cancel wait for a running callback", "[devices]") {
    VirtualClock clock;
    TimerService service(clock);
    std::atomic<bool> started{false}, finished{false};
    auto timer = std::make_unique<Timer>(service, [&] {
        started = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        finished = true;
    });
    timer->arm(0);
    REQUIRE(eventually([&] { return started.load(); }));
    timer.reset();
    CHECK(finished);

    started = finished = false;
    Timer t2(service, [&] {
        started = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        finished = true;
    });
    t2.arm(0);
    REQUIRE(eventually([&] { return started.load(); }));
    t2.cancel();
    CHECK(finished);
}

TEST_CASE("A callback may re-arm or cancel its own timer", "[devices]") {
    VirtualClock clock;
    TimerService service(clock);
    std::atomic<int> count{0};
    Timer* self = nullptr;
    Timer timer(service, [&] {
        if (++count < 3)
            self->arm(0);
        else
            self->cancel();  // must not wait for itself
    });
    self = &timer;
    timer.arm(0);
    REQUIRE(eventually([&] { return count == 3; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(count == 3);
}

TEST_CASE("Callbacks run without the service lock: one may arm another timer", "[devices]") {
    VirtualClock clock;
    TimerService service(clock);
    std::atomic<bool> second{false};
    Timer t2(service, [&] { second = true; });
    Timer t1(service, [&] { t2.arm(0); });
    t1.arm(0);
    REQUIRE(eventually([&] { return second.load(); }));
}
