// virtio-mmio and its devices, driven as a guest driver would (tests/devices/virtio_driver.h):
// the registers and feature negotiation of version 2 and legacy, split queues with direct and
// indirect chains, broken chains, and virtio-blk, -net, -console and -rng requests.
#include <catch2/catch.hpp>

#include <numeric>

#include "devices/char_backend_simple.h"
#include "devices/virtio/virtio_blk.h"
#include "devices/virtio/virtio_console.h"
#include "devices/virtio/virtio_net.h"
#include "devices/virtio/virtio_rng.h"
#include "tests/devices/device_test_util.h"
#include "tests/devices/log_capture.h"
#include "tests/devices/virtio_driver.h"

using namespace mimic::devices;
using namespace mimic::devices::test;

namespace {

constexpr uint64_t kVersion1 = uint64_t(1) << kVirtioFVersion1;
constexpr uint64_t kIndirect = uint64_t(1) << kVirtioFRingIndirectDesc;
constexpr unsigned kIrq = 8;

class MemoryDisk final : public BlockBackend {
public:
    MemoryDisk(size_t size, bool read_only) : bytes(size), ro(read_only) {
        std::iota(bytes.begin(), bytes.end(), uint8_t(0));
    }
    uint64_t size() const override { return bytes.size(); }
    bool read_only() const override { return ro; }
    bool read(uint64_t offset, void* out, size_t len) override {
        std::memcpy(out, bytes.data() + offset, len);
        return true;
    }
    bool write(uint64_t offset, const void* data, size_t len) override {
        std::memcpy(bytes.data() + offset, data, len);
        return true;
    }
    bool flush() override { return ++flushes, true; }
    std::vector<uint8_t> bytes;
    bool ro;
    int flushes = 0;
};

class RecordingNet final : public NetBackend {
public:
    void send(const uint8_t* frame, size_t size) override { sent.emplace_back(frame, frame + size); }
    void attach(NetFrontend* f) override { frontend = f; }
    void accept_input() override { ++accepts; }
    std::vector<std::vector<uint8_t>> sent;
    NetFrontend* frontend = nullptr;
    int accepts = 0;
};

// A transport with a device on it, its RAM, interrupt and driver.
template <typename Device>
struct Bench {
    template <typename... Args>
    explicit Bench(bool legacy, Args&&... args)
        : device(std::forward<Args>(args)...),
          transport("virtio-mmio@10008000", &device, ram, sink.line(kIrq), legacy, &capture.log),
          driver(ram, transport, legacy) {}
    LogCapture capture;
    GuestRam ram;
    RecordingIrqSink sink;
    Device device;
    VirtioMmio transport;
    VirtioDriver driver;
};

struct BlkRequest {
    uint64_t header, data, status;
};

// A virtio-blk request's three parts at fixed places in the test RAM.
BlkRequest blk_request(GuestRam& ram, uint32_t type, uint64_t sector) {
    const BlkRequest r{VirtioDriver::kData, VirtioDriver::kData + 0x100, VirtioDriver::kData + 0x8000};
    ram.put<uint32_t>(r.header, type);
    ram.put<uint32_t>(r.header + 4, 0);
    ram.put<uint64_t>(r.header + 8, sector);
    ram.put<uint8_t>(r.status, 0xff);
    return r;
}

}  // namespace

TEST_CASE("virtio-mmio identifies itself and its device", "[devices][virtio]") {
    Bench<VirtioRng> b(false);
    CHECK(b.driver.reg(0x000) == 0x74726976);
    CHECK(b.driver.reg(0x004) == 2);
    CHECK(b.driver.reg(0x008) == VirtioRng::kDeviceId);
    CHECK(b.driver.reg(0x00c) == VirtioMmio::kVendorQemu);
    CHECK((b.driver.device_features() & (kVersion1 | kIndirect)) == (kVersion1 | kIndirect));
    CHECK(b.driver.reg(0x0b0) == 0xffffffff);  // no shared memory region

    Bench<VirtioRng> legacy(true);
    CHECK(legacy.driver.reg(0x004) == 1);
    CHECK(!(legacy.driver.device_features() & kVersion1));

    GuestRam ram;
    RecordingIrqSink sink;
    VirtioMmio empty("virtio-mmio@10001000", nullptr, ram, sink.line(1));
    CHECK(empty.read(0x000, 4) == 0x74726976);
    CHECK(empty.read(0x008, 4) == 0);  // an empty slot: Linux skips it
}

TEST_CASE("virtio-mmio refuses features it did not offer, and version 2 without VERSION_1", "[devices][virtio]") {
    Bench<VirtioRng> b(false);
    CHECK(!b.driver.start(kVersion1 | uint64_t(1) << 40, 1));
    CHECK(b.capture.text().find("FEATURES_OK refused") != std::string::npos);
    CHECK(!b.driver.start(0, 1));
    CHECK(b.driver.start(kVersion1, 1));
    CHECK(b.transport.has_feature(kVirtioFVersion1));
}

TEST_CASE("virtio-mmio registers are 32-bit and other widths are guest errors", "[devices][virtio]") {
    Bench<VirtioRng> b(false);
    CHECK(b.transport.read(0x000, 2) == 0);
    CHECK(b.capture.text().find("register access not 32 bits wide") != std::string::npos);
}

TEST_CASE("virtio-blk reads sectors through a version 2 or legacy queue and interrupts", "[devices][virtio]") {
    const bool legacy = GENERATE(false, true);
    MemoryDisk disk(64 * 1024, false);
    Bench<VirtioBlk> b(legacy, disk, "serial-1");
    REQUIRE(b.driver.start(legacy ? 0 : kVersion1, 1));
    CHECK(b.transport.read(0x100, 8) == 128);  // capacity in sectors
    const BlkRequest r = blk_request(b.ram, VirtioBlk::kIn, 3);
    b.driver.submit(0, {{r.header, 16, false}, {r.data, 1024, true}, {r.status, 1, true}});
    REQUIRE(b.driver.used_idx(0) == 1);
    CHECK(b.driver.used_entry(0, 0) == std::pair<uint32_t, uint32_t>{0, 1025});
    CHECK(b.ram.get<uint8_t>(r.status) == VirtioBlk::kOk);
    const std::vector<uint8_t> data = b.ram.get_bytes(r.data, 1024);
    for (size_t i = 0; i < data.size(); ++i) REQUIRE(data[i] == uint8_t(3 * 512 + i));
    CHECK(b.sink.level(kIrq));
    CHECK(b.driver.reg(0x60) == VirtioMmio::kUsedBuffer);
    b.driver.set(0x64, VirtioMmio::kUsedBuffer);
    CHECK(!b.sink.level(kIrq));
}

TEST_CASE("virtio-blk writes, flushes, reports its ID, and refuses what it cannot do", "[devices][virtio]") {
    MemoryDisk disk(64 * 1024, false);
    Bench<VirtioBlk> b(false, disk, "disk-serial");
    REQUIRE(b.driver.start(kVersion1 | uint64_t(1) << VirtioBlk::kFlush, 1));
    auto status_of = [&](uint32_t type, uint64_t sector, uint32_t len, bool data_to_device) {
        const BlkRequest r = blk_request(b.ram, type, sector);
        if (len)
            b.driver.submit(0, {{r.header, 16, false}, {r.data, len, !data_to_device}, {r.status, 1, true}});
        else
            b.driver.submit(0, {{r.header, 16, false}, {r.status, 1, true}});
        return b.ram.get<uint8_t>(r.status);
    };
    b.ram.put_bytes(VirtioDriver::kData + 0x100, std::vector<uint8_t>(512, 0xab));
    CHECK(status_of(VirtioBlk::kOut, 5, 512, true) == VirtioBlk::kOk);
    CHECK(disk.bytes[5 * 512] == 0xab);
    CHECK(disk.bytes[6 * 512 - 1] == 0xab);
    CHECK(disk.bytes[6 * 512] == uint8_t(6 * 512));
    CHECK(status_of(VirtioBlk::kFlushRequest, 0, 0, false) == VirtioBlk::kOk);
    CHECK(disk.flushes == 1);
    CHECK(status_of(VirtioBlk::kGetId, 0, 20, false) == VirtioBlk::kOk);
    CHECK(b.ram.get_bytes(VirtioDriver::kData + 0x100, 12) ==
          std::vector<uint8_t>{'d', 'i', 's', 'k', '-', 's', 'e', 'r', 'i', 'a', 'l', 0});
    // Past the end, across it, and not whole sectors.
    CHECK(status_of(VirtioBlk::kIn, 128, 512, false) == VirtioBlk::kIoErr);
    CHECK(status_of(VirtioBlk::kIn, 127, 1024, false) == VirtioBlk::kIoErr);
    CHECK(status_of(VirtioBlk::kIn, ~uint64_t(0), 512, false) == VirtioBlk::kIoErr);
    CHECK(status_of(VirtioBlk::kIn, 0, 100, false) == VirtioBlk::kIoErr);
    CHECK(status_of(77, 0, 0, false) == VirtioBlk::kUnsupported);

    MemoryDisk ro_disk(4096, true);
    Bench<VirtioBlk> ro(false, ro_disk, "");
    CHECK((ro.driver.device_features() >> VirtioBlk::kReadOnly) & 1);
    REQUIRE(ro.driver.start(kVersion1 | uint64_t(1) << VirtioBlk::kReadOnly, 1));
    const BlkRequest r = blk_request(ro.ram, VirtioBlk::kOut, 0);
    ro.driver.submit(0, {{r.header, 16, false}, {r.data, 512, false}, {r.status, 1, true}});
    CHECK(ro.ram.get<uint8_t>(r.status) == VirtioBlk::kIoErr);
    CHECK(ro_disk.bytes[0] == 0);
    CHECK(ro_disk.bytes[1] == 1);
}

TEST_CASE("virtqueues follow indirect descriptor tables when negotiated", "[devices][virtio]") {
    MemoryDisk disk(8192, false);
    Bench<VirtioBlk> b(false, disk, "");
    REQUIRE(b.driver.start(kVersion1 | kIndirect, 1));
    const BlkRequest r = blk_request(b.ram, VirtioBlk::kIn, 1);
    const uint64_t table = VirtioDriver::kData + 0x4000;
    const Buf parts[3] = {{r.header, 16, false}, {r.data, 512, true}, {r.status, 1, true}};
    for (uint16_t i = 0; i < 3; ++i) {
        b.ram.put<uint64_t>(table + 16 * i, parts[i].addr);
        b.ram.put<uint32_t>(table + 16 * i + 8, parts[i].len);
        b.ram.put<uint16_t>(table + 16 * i + 12, uint16_t((i < 2 ? 1 : 0) | (parts[i].device_writes ? 2 : 0)));
        b.ram.put<uint16_t>(table + 16 * i + 14, uint16_t(i + 1));
    }
    b.driver.write_desc(0, 0, table, 48, Virtqueue::kDescIndirect, 0);
    b.driver.publish(0, 0);
    b.driver.notify(0);
    REQUIRE(b.driver.used_idx(0) == 1);
    CHECK(b.ram.get<uint8_t>(r.status) == VirtioBlk::kOk);
    CHECK(b.ram.get<uint8_t>(r.data + 1) == uint8_t(512 + 1));
}

TEST_CASE("a broken descriptor chain stops the device until the driver resets it", "[devices][virtio]") {
    enum class Breakage {
        kLoop,
        kIndexOutside,
        kOutsideRam,
        kIndirectNotNegotiated,
        kReadableAfterWritable,
        kAvailJump
    };
    const Breakage breakage =
        GENERATE(Breakage::kLoop, Breakage::kIndexOutside, Breakage::kOutsideRam, Breakage::kIndirectNotNegotiated,
                 Breakage::kReadableAfterWritable, Breakage::kAvailJump);
    MemoryDisk disk(8192, false);
    Bench<VirtioBlk> b(false, disk, "");
    REQUIRE(b.driver.start(kVersion1, 1));
    const BlkRequest r = blk_request(b.ram, VirtioBlk::kIn, 0);
    switch (breakage) {
        case Breakage::kLoop:
            b.driver.write_desc(0, 0, r.header, 16, Virtqueue::kDescNext, 1);
            b.driver.write_desc(0, 1, r.data, 16, Virtqueue::kDescNext | Virtqueue::kDescWrite, 0);
            break;
        case Breakage::kIndexOutside: b.driver.write_desc(0, 0, r.header, 16, Virtqueue::kDescNext, 200); break;
        case Breakage::kOutsideRam: b.driver.write_desc(0, 0, 0x1000, 16, 0, 0); break;
        case Breakage::kIndirectNotNegotiated:
            b.driver.write_desc(0, 0, r.header, 48, Virtqueue::kDescIndirect, 0);
            break;
        case Breakage::kReadableAfterWritable:
            b.driver.write_desc(0, 0, r.status, 1, Virtqueue::kDescNext | Virtqueue::kDescWrite, 1);
            b.driver.write_desc(0, 1, r.header, 16, 0, 0);
            break;
        case Breakage::kAvailJump: b.ram.put<uint16_t>(b.driver.avail(0) + 2, 100); break;
    }
    if (breakage != Breakage::kAvailJump) b.driver.publish(0, 0);
    b.driver.notify(0);
    CHECK((b.driver.reg(0x70) & VirtioMmio::kNeedsReset));
    CHECK((b.driver.reg(0x60) & VirtioMmio::kConfigChange));
    CHECK(b.driver.used_idx(0) == 0);
    CHECK(b.capture.text().find("the device needs a reset") != std::string::npos);
    // A reset clears it, and the device works again.
    REQUIRE(b.driver.start(kVersion1, 1));
    CHECK(!(b.driver.reg(0x70) & VirtioMmio::kNeedsReset));
}

TEST_CASE("virtio-net sends frames without their header and delivers frames into receive buffers",
          "[devices][virtio]") {
    const bool legacy = GENERATE(false, true);
    const size_t header = legacy ? 10 : 12;
    RecordingNet backend;
    Bench<VirtioNet> b(legacy, &backend, std::array<uint8_t, 6>{0x52, 0x54, 0, 0x12, 0x34, 0x56});
    REQUIRE(backend.frontend == &b.device);
    CHECK(b.transport.read(0x100, 1) == 0x52);
    CHECK(b.transport.read(0x105, 1) == 0x56);
    CHECK(b.transport.read(0x106, 2) == 1);  // link up
    // No driver yet: a frame is dropped, not kept.
    const std::vector<uint8_t> frame = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    CHECK(b.device.receive(frame.data(), frame.size()));
    REQUIRE(b.driver.start(legacy ? 0 : kVersion1, 2));
    // No receive buffer: the backend keeps the frame until the driver gives one.
    CHECK(!b.device.receive(frame.data(), frame.size()));
    const int accepts = backend.accepts;
    b.driver.submit(VirtioNet::kReceive, {{VirtioDriver::kData, 2048, true}});
    CHECK(backend.accepts == accepts + 1);
    b.ram.put_bytes(VirtioDriver::kData, std::vector<uint8_t>(32, 0xee));
    CHECK(b.device.receive(frame.data(), frame.size()));
    REQUIRE(b.driver.used_idx(VirtioNet::kReceive) == 1);
    CHECK(b.driver.used_entry(VirtioNet::kReceive, 0).second == header + frame.size());
    std::vector<uint8_t> expected_header(header);
    if (!legacy) expected_header[10] = 1;  // num_buffers
    CHECK(b.ram.get_bytes(VirtioDriver::kData, header) == expected_header);
    CHECK(b.ram.get_bytes(VirtioDriver::kData + header, frame.size()) == frame);

    std::vector<uint8_t> tx(header, 0);
    tx.insert(tx.end(), frame.begin(), frame.end());
    b.ram.put_bytes(VirtioDriver::kData + 0x1000, tx);
    b.driver.submit(VirtioNet::kTransmit, {{VirtioDriver::kData + 0x1000, 4, false},
                                           {VirtioDriver::kData + 0x1004, uint32_t(tx.size() - 4), false}});
    REQUIRE(backend.sent.size() == 1);
    CHECK(backend.sent[0] == frame);
    CHECK(b.driver.used_idx(VirtioNet::kTransmit) == 1);
}

TEST_CASE("virtio-console passes output to its backend and input into receive buffers", "[devices][virtio]") {
    BufferCharBackend backend;
    Bench<VirtioConsole> b(false, &backend);
    REQUIRE(b.driver.start(kVersion1, 2));
    b.ram.put_bytes(VirtioDriver::kData, {'h', 'v', 'c', '\n'});
    b.driver.submit(VirtioConsole::kTransmit, {{VirtioDriver::kData, 4, false}});
    CHECK(backend.output() == "hvc\n");
    backend.push_input("typed");
    CHECK(backend.pending_input() == 5);  // no receive buffer yet
    b.driver.submit(VirtioConsole::kReceive, {{VirtioDriver::kData + 0x100, 64, true}});
    CHECK(backend.pending_input() == 0);
    REQUIRE(b.driver.used_idx(VirtioConsole::kReceive) == 1);
    CHECK(b.driver.used_entry(VirtioConsole::kReceive, 0).second == 5);
    CHECK(b.ram.get_bytes(VirtioDriver::kData + 0x100, 5) == std::vector<uint8_t>{'t', 'y', 'p', 'e', 'd'});
}

TEST_CASE("virtio-rng fills the driver's buffers", "[devices][virtio]") {
    Bench<VirtioRng> b(false);
    REQUIRE(b.driver.start(kVersion1, 1));
    b.driver.submit(0, {{VirtioDriver::kData, 256, true}});
    REQUIRE(b.driver.used_idx(0) == 1);
    CHECK(b.driver.used_entry(0, 0).second == 256);
    const std::vector<uint8_t> bytes = b.ram.get_bytes(VirtioDriver::kData, 256);
    CHECK(std::count(bytes.begin(), bytes.end(), 0) < 32);  // 256 random bytes are not mostly zero
}
