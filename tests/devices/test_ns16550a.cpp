// NS16550A: registers, FIFO flow control against the backend, interrupt identification and the
// interrupt line.
#include <catch2/catch.hpp>

#include <string>
#include <thread>

#include "devices/char_backend_simple.h"
#include "devices/ns16550a/ns16550a.h"
#include "tests/devices/device_test_util.h"
#include "tests/devices/log_capture.h"

using namespace mimic::devices;
using mimic::devices::test::RecordingIrqSink;

namespace {

enum : uint64_t { kRbr = 0, kIer = 1, kIir = 2, kFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5, kMsr = 6, kScr = 7 };

std::string read_all(Ns16550a& uart) {
    std::string s;
    while (uart.read(kLsr, 1) & 0x01) s += char(uart.read(kRbr, 1));
    return s;
}

}  // namespace

TEST_CASE("UART transmits THR bytes to the backend, DLAB selects the divisor latch", "[devices]") {
    BufferCharBackend backend;
    RecordingIrqSink sink;
    Ns16550a uart(&backend, sink.line(10));
    uart.write(kRbr, 1, 'O');
    uart.write(kRbr, 4, 0x14b);  // wider access: the low byte
    CHECK(backend.output() == "OK");

    uart.write(kLcr, 1, 0x83);
    uart.write(kRbr, 1, 0x01);
    uart.write(kIer, 1, 0x02);
    CHECK(uart.read(kRbr, 1) == 0x01);
    CHECK(uart.read(kIer, 1) == 0x02);
    CHECK(backend.output() == "OK");  // a divisor write is not output
    uart.write(kLcr, 1, 0x03);
    CHECK(uart.read(kLcr, 1) == 0x03);
    CHECK(uart.read(kIer, 1) == 0x00);  // IER untouched by the DLM write
    CHECK(sink.level(10) == false);

    uart.write(kScr, 1, 0x5a);
    CHECK(uart.read(kScr, 1) == 0x5a);
    CHECK((uart.read(kLsr, 1) & 0x60) == 0x60);  // THRE and TEMT: transmission is instant
}

TEST_CASE("UART without FIFO holds one byte, the rest waits in the backend", "[devices]") {
    BufferCharBackend backend;
    Ns16550a uart(&backend, IrqLine{});
    CHECK(uart.can_receive() == 1);
    backend.push_input("hello");
    CHECK(backend.pending_input() == 4);
    CHECK((uart.read(kLsr, 1) & 0x01) == 1);
    CHECK(read_all(uart) == "hello");  // each read let the next byte in
    CHECK(backend.pending_input() == 0);
    CHECK((uart.read(kLsr, 1) & 0x01) == 0);
}

TEST_CASE("UART FIFO takes 16 bytes, keeps order, and can be cleared", "[devices]") {
    BufferCharBackend backend;
    Ns16550a uart(&backend, IrqLine{});
    uart.write(kFcr, 1, 0x07);
    CHECK(uart.can_receive() == 16);
    const std::string input = "0123456789abcdefghij";
    backend.push_input(input);
    CHECK(backend.pending_input() == 4);
    CHECK(uart.can_receive() == 0);
    CHECK(read_all(uart) == input);

    backend.push_input("xyz");
    uart.write(kFcr, 1, 0x03);  // clear the receive FIFO
    CHECK((uart.read(kLsr, 1) & 0x01) == 0);
    CHECK(uart.can_receive() == 16);
}

TEST_CASE("UART receive interrupt follows data ready and IER", "[devices]") {
    BufferCharBackend backend;
    RecordingIrqSink sink;
    Ns16550a uart(&backend, sink.line(10));
    uart.write(kFcr, 1, 0x01);  // FIFO on, trigger level 1
    uart.write(kIer, 1, 0x01);
    CHECK(sink.level(10) == false);
    CHECK(uart.read(kIir, 1) == 0xc1);

    backend.push_input("a");
    CHECK(sink.level(10) == true);
    CHECK(uart.read(kIir, 1) == 0xc4);
    CHECK(uart.read(kRbr, 1) == 'a');
    CHECK(sink.level(10) == false);

    uart.write(kFcr, 1, 0xc1);  // trigger level 14: one byte reports a character timeout
    backend.push_input("b");
    CHECK(uart.read(kIir, 1) == 0xcc);
    uart.write(kIer, 1, 0x00);
    CHECK(sink.level(10) == false);
    uart.write(kIer, 1, 0x01);
    CHECK(sink.level(10) == true);
}

TEST_CASE("UART THRE interrupt: raised by enabling or transmitting, cleared by reading IIR", "[devices]") {
    BufferCharBackend backend;
    RecordingIrqSink sink;
    Ns16550a uart(&backend, sink.line(3));
    uart.write(kIer, 1, 0x02);
    CHECK(sink.level(3) == true);
    CHECK(uart.read(kIir, 1) == 0x02);
    CHECK(sink.level(3) == false);
    CHECK(uart.read(kIir, 1) == 0x01);

    uart.write(kRbr, 1, 'x');
    CHECK(sink.level(3) == true);
    uart.write(kIer, 1, 0x00);
    CHECK(sink.level(3) == false);
    uart.write(kIer, 1, 0x02);  // enabling again while THR is empty raises it again
    CHECK(sink.level(3) == true);

    // Received data has priority over THRE in IIR.
    uart.write(kIer, 1, 0x03);
    backend.push_input("z");
    CHECK(uart.read(kIir, 1) == 0x04);
    uart.read(kRbr, 1);
    CHECK(uart.read(kIir, 1) == 0x02);
}

TEST_CASE("UART loopback routes THR to RBR and MCR to MSR", "[devices]") {
    BufferCharBackend backend;
    Ns16550a uart(&backend, IrqLine{});
    CHECK((uart.read(kMsr, 1) & 0xf0) == 0xb0);
    uart.write(kMcr, 1, 0x1a);  // LOOP | OUT2 | RTS: Linux's probe expects CTS and DCD
    CHECK((uart.read(kMsr, 1) & 0xf0) == 0x90);
    uart.write(kRbr, 1, 'q');
    CHECK(backend.output().empty());
    CHECK(uart.read(kRbr, 1) == 'q');

    uart.write(kRbr, 1, '1');
    uart.write(kRbr, 1, '2');  // no FIFO: overrun, the new byte replaces the old
    CHECK(uart.read(kLsr, 1) == 0x63);
    CHECK(uart.read(kLsr, 1) == 0x61);  // reading LSR clears OE
    CHECK(uart.read(kRbr, 1) == '2');
    CHECK(uart.read(kRbr, 1) == '2');  // the holding register keeps it

    // As QEMU 7.2 (measured): MSR mirrors MCR in loopback, without delta bits.
    uart.write(kMcr, 1, 0x1f);
    CHECK(uart.read(kMsr, 1) == 0xf0);
    uart.write(kMcr, 1, 0x10);
    CHECK(uart.read(kMsr, 1) == 0x00);
    uart.write(kMcr, 1, 0x08);
    CHECK(uart.read(kMsr, 1) == 0xb0);
}

TEST_CASE("UART FIFO overrun keeps the first 16 bytes, an empty FIFO reads 0", "[devices]") {
    BufferCharBackend backend;
    Ns16550a uart(&backend, IrqLine{});
    uart.write(kFcr, 1, 0x07);
    uart.write(kMcr, 1, 0x10);
    for (int i = 0; i < 17; ++i) uart.write(kRbr, 1, 'A' + i);
    CHECK(uart.read(kLsr, 1) == 0x63);
    std::string got;
    for (int i = 0; i < 17; ++i) got += char(uart.read(kRbr, 1));
    CHECK(got == std::string("ABCDEFGHIJKLMNOP") + '\0');
    CHECK(uart.read(kLsr, 1) == 0x60);
}

TEST_CASE("UART registers that do not exist read as zero and are logged", "[devices]") {
    mimic::devices::test::LogCapture capture;
    Ns16550a uart(nullptr, IrqLine{}, &capture.log);
    uart.write(kRbr, 1, 'x');  // no backend: dropped, no crash
    CHECK(uart.read(0x10, 1) == 0);
    uart.write(0x20, 1, 1);
    const std::string text = capture.text();
    CHECK(text.find("ns16550a: read") != std::string::npos);
    CHECK(text.find("ns16550a: write") != std::string::npos);
}

TEST_CASE("UART output, input and register reads from several threads keep every byte in order", "[devices]") {
    BufferCharBackend backend;
    RecordingIrqSink sink;
    Ns16550a uart(&backend, sink.line(10));
    uart.write(kFcr, 1, 0x01);
    uart.write(kIer, 1, 0x03);
    std::string input;
    for (int i = 0; i < 300; ++i) input += char('0' + i % 64);
    std::thread writer([&] {
        for (int i = 0; i < 1000; ++i) uart.write(kRbr, 1, 'w');
    });
    std::thread feeder([&] {
        for (size_t i = 0; i < input.size(); i += 10) backend.push_input(input.substr(i, 10));
    });
    std::string got;
    const bool done = mimic::devices::test::eventually([&] {
        got += read_all(uart);
        uart.read(kIir, 1);
        return got.size() >= input.size();
    });
    writer.join();
    feeder.join();
    REQUIRE(done);
    CHECK(got == input);
    CHECK(backend.output() == std::string(1000, 'w'));
}
