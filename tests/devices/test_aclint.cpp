// ACLINT/CLINT: msip lines, mtime, mtimecmp and the timer interrupt raised when mtime passes it.
#include <catch2/catch.hpp>

#include <memory>
#include <thread>

#include "devices/aclint/aclint.h"
#include "tests/devices/device_test_util.h"

using namespace mimic::devices;
using mimic::devices::test::eventually;
using mimic::devices::test::RecordingIrqSink;

namespace {

constexpr uint64_t msip(unsigned h) {
    return 4 * h;
}
constexpr uint64_t mtimecmp(unsigned h) {
    return Aclint::kMtimecmpBase + 8 * h;
}
constexpr unsigned kMsipLine = 100, kMtipLine = 200;

struct Fixture {
    VirtualClock clock;
    TimerService timers{clock};
    RecordingIrqSink sink;
    Aclint clint{
        timers,
        {{sink.line(kMsipLine + 0), sink.line(kMtipLine + 0)}, {sink.line(kMsipLine + 1), sink.line(kMtipLine + 1)}}};
};

}  // namespace

TEST_CASE("ACLINT msip drives each hart's software interrupt from bit 0", "[devices]") {
    Fixture f;
    f.clint.write(msip(1), 4, 1);
    CHECK(f.sink.level(kMsipLine + 1) == true);
    CHECK(f.sink.level(kMsipLine + 0) == false);
    CHECK(f.clint.read(msip(1), 4) == 1);
    f.clint.write(msip(1), 4, 0xfffffffe);
    CHECK(f.sink.level(kMsipLine + 1) == false);
    CHECK(f.clint.read(msip(1), 4) == 0);
    CHECK(f.clint.read(msip(2), 4) == 0);  // no hart 2
}

TEST_CASE("ACLINT mtime counts at 10 MHz and can be written", "[devices]") {
    Fixture f;
    const uint64_t t0 = f.clint.read(Aclint::kMtime, 8);
    REQUIRE(eventually([&] { return f.clint.read(Aclint::kMtime, 8) > t0; }));
    CHECK(f.clint.timebase_hz() == 10'000'000);

    f.clint.write(Aclint::kMtime, 8, uint64_t(5) << 40);
    const uint64_t t1 = f.clint.mtime();
    CHECK(t1 >= uint64_t(5) << 40);
    CHECK(t1 < (uint64_t(5) << 40) + 10'000'000ull * 60);  // less than a minute later
    CHECK(f.clint.read(Aclint::kMtime + 4, 4) == 5 << 8);
    f.clint.write(Aclint::kMtime + 4, 4, 0);  // high half only
    CHECK(f.clint.mtime() < (uint64_t(1) << 32));
}

TEST_CASE("ACLINT mtimecmp resets to all ones, halves read and write independently", "[devices]") {
    Fixture f;
    CHECK(f.clint.read(mtimecmp(0), 8) == ~uint64_t(0));
    CHECK(f.sink.level(kMtipLine + 0) == false);
    f.clint.write(mtimecmp(1), 4, 0x89abcdef);
    f.clint.write(mtimecmp(1) + 4, 4, 0x01234567);
    CHECK(f.clint.read(mtimecmp(1), 8) == 0x0123456789abcdefull);
    CHECK(f.clint.read(mtimecmp(1) + 4, 4) == 0x01234567);
    CHECK(f.clint.read(mtimecmp(1), 4) == 0x89abcdef);
}

TEST_CASE("ACLINT raises MTIP at once for a past compare and lowers it for a future one", "[devices]") {
    Fixture f;
    f.clint.write(mtimecmp(0), 8, 0);
    CHECK(f.sink.level(kMtipLine + 0) == true);
    CHECK(f.sink.level(kMtipLine + 1) == false);
    f.clint.write(mtimecmp(0), 8, ~uint64_t(0));
    CHECK(f.sink.level(kMtipLine + 0) == false);
}

TEST_CASE("ACLINT raises MTIP when mtime passes mtimecmp", "[devices]") {
    Fixture f;
    const uint64_t cmp = f.clint.mtime() + 100'000;  // 10 ms
    f.clint.write(mtimecmp(1), 8, cmp);
    REQUIRE(f.sink.wait_for(kMtipLine + 1, true));
    CHECK(f.clint.mtime() >= cmp);
    CHECK(f.sink.level(kMtipLine + 0) == false);

    // Re-arming replaces the old deadline: a far compare does not fire.
    f.clint.write(mtimecmp(0), 8, f.clint.mtime() + 50'000);
    f.clint.write(mtimecmp(0), 8, f.clint.mtime() + 10'000'000ull * 3600);
    const uint64_t probe = f.clint.mtime() + 200'000;
    f.clint.write(mtimecmp(1), 8, probe);  // 20 ms: by then the replaced 5 ms one would have fired
    REQUIRE(f.sink.wait_for(kMtipLine + 1, true));
    CHECK(f.sink.level(kMtipLine + 0) == false);
}

TEST_CASE("ACLINT mtime write moves the timer deadlines", "[devices]") {
    Fixture f;
    f.clint.write(mtimecmp(0), 8, 1'000'000'000);  // 100 s from reset
    f.clint.write(Aclint::kMtime, 8, 0);
    CHECK(f.sink.level(kMtipLine + 0) == false);
    f.clint.write(Aclint::kMtime, 8, 1'000'000'000 - 50'000);  // 5 ms before the compare
    REQUIRE(f.sink.wait_for(kMtipLine + 0, true));
    f.clint.write(Aclint::kMtime, 8, 0);  // back in time: the compare is ahead again
    CHECK(f.sink.level(kMtipLine + 0) == false);
}

TEST_CASE("ACLINT can be destroyed with timers armed and firing", "[devices]") {
    VirtualClock clock;
    TimerService timers(clock);
    RecordingIrqSink sink;
    for (int i = 0; i < 20; ++i) {
        auto clint = std::make_unique<Aclint>(timers, std::vector<Aclint::HartLines>{{sink.line(0), sink.line(1)}});
        clint->write(mtimecmp(0), 8, clint->mtime() + i * 10);
        clint.reset();
    }
    // Destroyed devices' timers never call back later.
    const size_t events = sink.events(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(sink.events(1) == events);
}
