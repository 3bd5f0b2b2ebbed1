// HTIF: console output and input through tohost/fromhost, exit codes, and what QEMU 7.2 does
// with the commands it does not support.
#include <catch2/catch.hpp>

#include "devices/char_backend_simple.h"
#include "devices/htif/htif.h"
#include "tests/devices/device_test_util.h"
#include "tests/devices/log_capture.h"

using namespace mimic::devices;

namespace {

constexpr uint64_t kToHost = 0x0, kFromHost = 0x40;

constexpr uint64_t command(uint64_t device, uint64_t cmd, uint64_t payload) {
    return device << 56 | cmd << 48 | payload;
}

struct Fixture {
    BufferCharBackend console;
    test::RecordingMachineControl control;
    test::LogCapture capture;
    Htif htif{&console, &control, kToHost, kFromHost, &capture.log};
};

}  // namespace

TEST_CASE("HTIF console output: tohost is taken, fromhost acknowledges", "[devices]") {
    Fixture f;
    CHECK(Htif::region_size(kToHost, kFromHost) == 0x48);
    f.htif.write(kToHost, 8, command(1, 1, 'H'));
    CHECK(f.console.output() == "H");
    CHECK(f.htif.read(kToHost, 8) == 0);
    CHECK(f.htif.read(kFromHost, 8) == 0x0101000000000148ull);
    CHECK(f.htif.read(kFromHost + 4, 4) == 0x01010000u);
    f.htif.write(kFromHost, 8, 0);

    // Two 32-bit halves: the command runs when the high word arrives.
    f.htif.write(kToHost, 4, uint32_t(command(1, 1, 'i')));
    CHECK(f.console.output() == "H");
    CHECK(f.htif.read(kToHost, 4) == 'i');
    f.htif.write(kToHost + 4, 4, uint32_t(command(1, 1, 'i') >> 32));
    CHECK(f.console.output() == "Hi");
    CHECK(f.htif.read(kToHost, 8) == 0);
}

TEST_CASE("HTIF exit: device 0 command 0 with payload bit 0 powers off with payload >> 1", "[devices]") {
    Fixture f;
    f.htif.write(kToHost, 8, command(0, 0, (3 << 1) | 1));
    CHECK(f.control.poweroffs == std::vector<int>{3});
    f.htif.write(kToHost, 8, command(0, 0, 1));
    CHECK(f.control.poweroffs == std::vector<int>{3, 0});
}

TEST_CASE("HTIF proxied syscalls and unknown commands, as QEMU 7.2", "[devices]") {
    Fixture f;
    f.htif.write(kToHost, 8, command(0, 0, 0x80001000));  // magic syscall block: unsupported
    CHECK(f.control.poweroffs.empty());
    CHECK(f.htif.read(kToHost, 8) == 0);
    CHECK(f.htif.read(kFromHost, 8) == 0);  // no answer
    CHECK(f.capture.text().find("system call") != std::string::npos);

    f.htif.write(kToHost, 8, command(5, 3, 7));
    CHECK(f.htif.read(kFromHost, 8) == command(5, 3, 0));
    CHECK(f.capture.text().find("unknown") != std::string::npos);
    CHECK(f.console.output().empty());
}

TEST_CASE("HTIF console input answers one read request per byte", "[devices]") {
    Fixture f;
    f.console.push_input("xy");
    CHECK(f.console.pending_input() == 2);  // nothing asked yet
    f.htif.write(kToHost, 8, command(1, 0, 0));
    CHECK(f.htif.read(kToHost, 8) == 0);
    CHECK(f.htif.read(kFromHost, 8) == 0x0100000000000178ull);
    CHECK(f.console.pending_input() == 1);
    f.htif.write(kFromHost, 8, 0);
    CHECK(f.htif.read(kFromHost, 8) == 0);  // no new request, no answer
    f.htif.write(kToHost, 8, command(1, 0, 0));
    CHECK(f.htif.read(kFromHost, 8) == 0x0100000000000179ull);
    f.htif.write(kFromHost, 8, 0);

    // A request with no input waiting is answered when input arrives.
    f.htif.write(kToHost, 8, command(1, 0, 0));
    CHECK(f.htif.read(kFromHost, 8) == 0);
    f.console.push_input("z");
    CHECK(f.htif.read(kFromHost, 8) == 0x010000000000017aull);
}

TEST_CASE("HTIF answers wait while fromhost is busy, in order", "[devices]") {
    Fixture f;
    f.htif.write(kToHost, 8, command(1, 1, 'a'));
    f.htif.write(kToHost, 8, command(1, 0, 0));
    f.console.push_input("k");
    CHECK(f.htif.read(kFromHost, 8) == 0x0101000000000161ull);  // the output acknowledgement first
    f.htif.write(kFromHost, 8, 0);
    CHECK(f.htif.read(kFromHost, 8) == 0x010000000000016bull);
    f.htif.write(kFromHost, 4, 0);
    f.htif.write(kFromHost + 4, 4, 0);
    CHECK(f.htif.read(kFromHost, 8) == 0);
}

TEST_CASE("HTIF accesses outside tohost and fromhost are logged", "[devices]") {
    Fixture f;
    CHECK(f.htif.read(0x10, 4) == 0);
    f.htif.write(0x20, 4, 1);
    const std::string text = f.capture.text();
    CHECK(text.find("htif: read outside") != std::string::npos);
    CHECK(text.find("htif: write outside") != std::string::npos);
}
