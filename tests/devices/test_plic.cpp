// PLIC: priorities, pending bits, enables, thresholds, claim/complete and the context outputs.
#include <catch2/catch.hpp>

#include "devices/plic/plic.h"
#include "tests/devices/device_test_util.h"
#include "tests/devices/log_capture.h"

using namespace mimic::devices;
using mimic::devices::test::RecordingIrqSink;

namespace {

constexpr uint64_t priority(unsigned src) {
    return Plic::kPriorityBase + 4 * src;
}
constexpr uint64_t pending(unsigned word) {
    return Plic::kPendingBase + 4 * word;
}
constexpr uint64_t enable(unsigned ctx, unsigned word) {
    return Plic::kEnableBase + Plic::kEnableStride * ctx + 4 * word;
}
constexpr uint64_t threshold(unsigned ctx) {
    return Plic::kContextBase + Plic::kContextStride * ctx;
}
constexpr uint64_t claim(unsigned ctx) {
    return threshold(ctx) + 4;
}

struct Fixture {
    RecordingIrqSink sink;  // line n = context n
    mimic::devices::test::LogCapture capture;
    Plic plic{96, {sink.line(0), sink.line(1), sink.line(2), sink.line(3)}, &capture.log};
};

}  // namespace

TEST_CASE("PLIC priorities have 3 bits, source 0 does not exist", "[devices]") {
    Fixture f;
    f.plic.write(priority(5), 4, 6);
    CHECK(f.plic.read(priority(5), 4) == 6);
    f.plic.write(priority(5), 4, 0xff);
    CHECK(f.plic.read(priority(5), 4) == 7);
    f.plic.write(priority(0), 4, 3);
    CHECK(f.plic.read(priority(0), 4) == 0);
    CHECK(f.capture.text().find("plic: write") != std::string::npos);
}

TEST_CASE("PLIC pending follows the source level, enable and priority gate the context line", "[devices]") {
    Fixture f;
    f.plic.set_irq(10, true);
    CHECK(f.plic.read(pending(0), 4) == (1u << 10));
    f.plic.set_irq(40, true);
    CHECK(f.plic.read(pending(1), 4) == (1u << 8));
    CHECK(f.sink.level(1) == false);  // not enabled, priority 0

    f.plic.write(enable(1, 0), 4, 1u << 10);
    CHECK(f.plic.read(enable(1, 0), 4) == (1u << 10));
    CHECK(f.sink.level(1) == false);  // priority 0 never interrupts
    f.plic.write(priority(10), 4, 1);
    CHECK(f.sink.level(1) == true);
    CHECK(f.sink.level(0) == false);  // other contexts untouched
    CHECK(f.sink.level(2) == false);

    f.plic.set_irq(10, false);  // the request stays latched until claimed, as in QEMU 7.2
    CHECK(f.plic.read(pending(0), 4) == (1u << 10));
    CHECK(f.sink.level(1) == true);
    CHECK(f.plic.read(claim(1), 4) == 10);
    CHECK(f.sink.level(1) == false);
    f.plic.write(claim(1), 4, 10);  // level low at completion: stays idle
    CHECK(f.plic.read(pending(0), 4) == 0);
    CHECK(f.sink.level(1) == false);
}

TEST_CASE("PLIC threshold masks priorities at or below it", "[devices]") {
    Fixture f;
    f.plic.write(priority(7), 4, 3);
    f.plic.write(enable(2, 0), 4, 1u << 7);
    f.plic.set_irq(7, true);
    CHECK(f.sink.level(2) == true);
    f.plic.write(threshold(2), 4, 3);
    CHECK(f.plic.read(threshold(2), 4) == 3);
    CHECK(f.sink.level(2) == false);
    CHECK(f.plic.read(claim(2), 4) == 0);  // nothing above the threshold to claim
    f.plic.write(threshold(2), 4, 8);      // above the highest priority: ignored, as QEMU does
    CHECK(f.plic.read(threshold(2), 4) == 3);
    f.plic.write(threshold(2), 4, 2);
    CHECK(f.sink.level(2) == true);
}

TEST_CASE("PLIC claim takes the highest priority, lowest id on a tie, complete re-arms a high level", "[devices]") {
    Fixture f;
    for (unsigned src : {3u, 4u, 9u}) f.plic.write(priority(src), 4, src == 9 ? 5 : 2);
    f.plic.write(enable(0, 0), 4, (1u << 3) | (1u << 4) | (1u << 9));
    for (unsigned src : {3u, 4u, 9u}) f.plic.set_irq(src, true);
    CHECK(f.sink.level(0) == true);

    CHECK(f.plic.read(claim(0), 4) == 9);
    CHECK((f.plic.read(pending(0), 4) & (1u << 9)) == 0);
    CHECK(f.plic.read(claim(0), 4) == 3);
    CHECK(f.plic.read(claim(0), 4) == 4);
    CHECK(f.sink.level(0) == false);
    CHECK(f.plic.read(claim(0), 4) == 0);

    f.plic.set_irq(9, true);  // still claimed: not pending again
    CHECK(f.plic.read(pending(0), 4) == 0);
    f.plic.write(claim(0), 4, 9);  // complete while the level is high: pending again
    CHECK(f.plic.read(pending(0), 4) == (1u << 9));
    CHECK(f.sink.level(0) == true);

    f.plic.set_irq(3, false);
    f.plic.write(claim(0), 4, 3);  // level low at completion: stays idle
    CHECK((f.plic.read(pending(0), 4) & (1u << 3)) == 0);

    f.plic.write(claim(0), 4, 4);
    CHECK(f.plic.read(claim(0), 4) == 9);
    CHECK(f.plic.read(claim(0), 4) == 4);
}

TEST_CASE("PLIC contexts are independent, a claim by one context takes the source from all", "[devices]") {
    Fixture f;
    f.plic.write(priority(1), 4, 1);
    f.plic.write(enable(0, 0), 4, 0xffffffff);
    f.plic.write(enable(3, 0), 4, 0x2);
    CHECK(f.plic.read(enable(0, 0), 4) == 0xffffffff);  // stored as written, as QEMU
    f.plic.set_irq(1, true);
    CHECK(f.sink.level(0) == true);
    CHECK(f.sink.level(3) == true);
    CHECK(f.plic.read(claim(3), 4) == 1);  // claimed by one context: gone for all
    CHECK(f.sink.level(0) == false);
    CHECK(f.sink.level(3) == false);
    CHECK(f.plic.read(claim(0), 4) == 0);
    f.plic.write(claim(3), 4, 1);
    CHECK(f.sink.level(0) == true);

    CHECK(f.plic.read(enable(4, 0), 4) == 0);  // context 4 does not exist
    f.plic.write(pending(0), 4, 1);            // pending bits are read-only
    CHECK(f.capture.text().find("read-only") != std::string::npos);
}

TEST_CASE("PLIC sources beyond the configured count never become pending", "[devices]") {
    RecordingIrqSink sink;
    Plic plic(40, {sink.line(0)});
    plic.write(enable(0, 1), 4, 0xffffffff);
    plic.write(priority(39), 4, 1);
    plic.set_irq(40, true);  // out of range: ignored
    plic.set_irq(0, true);
    CHECK(sink.level(0) == false);
    CHECK(plic.read(pending(0), 4) == 0);
    CHECK(plic.read(pending(1), 4) == 0);
    CHECK(plic.read(pending(2), 4) == 0);  // no third word
    plic.set_irq(39, true);
    CHECK(sink.level(0) == true);
    CHECK(plic.read(claim(0), 4) == 39);
}
