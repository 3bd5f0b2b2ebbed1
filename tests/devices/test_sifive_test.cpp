// SiFive test finisher: the codes QEMU 7.2 acts on (checked against qemu-system-riscv64).
#include <catch2/catch.hpp>

#include "devices/sifive_test/sifive_test.h"
#include "tests/devices/device_test_util.h"
#include "tests/devices/log_capture.h"

using namespace mimic::devices;

TEST_CASE("SiFive test finisher powers off with the exit code, or resets", "[devices]") {
    test::RecordingMachineControl control;
    test::LogCapture capture;
    SifiveTest finisher(&control, &capture.log);
    finisher.write(0, 4, 0x5555);
    finisher.write(0, 4, 0x3333 | (5 << 16));
    finisher.write(0, 4, 0x3333 | (300 << 16));
    finisher.write(0, 4, 0x3333);
    finisher.write(0, 2, 0x5555);  // halfword writes count too
    CHECK(control.poweroffs == std::vector<int>{0, 5, 300, 0, 0});
    CHECK(control.resets == 0);
    finisher.write(0, 4, 0x7777);
    CHECK(control.resets == 1);
    CHECK(finisher.read(0, 4) == 0);
}

TEST_CASE("SiFive test finisher logs other values and offsets without acting", "[devices]") {
    test::RecordingMachineControl control;
    test::LogCapture capture;
    SifiveTest finisher(&control, &capture.log);
    finisher.write(0, 4, 0x1234);
    finisher.write(4, 4, 0x5555);
    CHECK(control.poweroffs.empty());
    CHECK(control.resets == 0);
    const std::string text = capture.text();
    CHECK(text.find("0x1234") != std::string::npos);
    CHECK(text.find("offset 0x4") != std::string::npos);
}
