// SoftMmu and self-modifying code (pages translated code came from lose their fast stores, in
// every vCPU's TLB), and MMIO overlays laid over part of a RAM page.
#include <catch2/catch.hpp>

#include "tests/softmmu/softmmu_test_util.h"

using namespace mimic;
using namespace mimic::softmmu;
using namespace mimic::softmmu::test;
using ir::MemOp;
using Op = RecordingDevice::Op;

namespace {
constexpr uint64_t kV = 0x4000'0000;
constexpr uint64_t kCode = kRamBase + 0x7000;  // the physical page that gains code
constexpr uint64_t kCodePage = kCode >> kGuestPageBits;
}  // namespace

TEST_CASE("A page that gains code loses the fast stores of every TLB", "[softmmu]") {
    TestMachine m;
    Vcpu other(m.memory, m.translator);
    RecordingObserver observer(m.memory);
    m.memory.set_code_observer(&observer);
    observer.watch = kCode + 0x10;
    m.translator.map(kV, kCode, kRW);
    m.translator.map(kV + 0x5000, kCode, kRW);  // an alias of the same physical page
    m.translator.map(kV + 0x1000, kRamBase + 0x8000, kRW);

    // Fill fast write entries: in both TLBs, both aliases, and two MMU indexes.
    store_ok(m.env, kV + 0x10, MemOp::u64(), 1);
    store_ok(m.env, kV + 0x5010, op(MemOp::u64(), 2), 2);
    store_ok(m.env, kV + 0x1000, MemOp::u64(), 3);
    store_ok(other.env, kV + 0x10, MemOp::u64(), 4);
    store_ok(m.env, kV + 0x10, MemOp::u64(), 5);
    store_ok(other.env, kV + 0x10, MemOp::u64(), 6);
    CHECK(m.cpu->port.stores == 3);
    CHECK(other.port.stores == 1);
    CHECK(m.peek64(kCode + 0x10) == 6);

    observer.clear = false;  // the blocks stay until further notice
    m.memory.set_code_page(kCodePage, true);
    CHECK(m.memory.is_code_page(kCodePage));

    store_ok(m.env, kV + 0x10, MemOp::u64(), 7);
    store_ok(other.env, kV + 0x10, MemOp::u64(), 8);
    store_ok(m.env, kV + 0x5010, op(MemOp::u64(), 2), 9);
    CHECK(m.cpu->port.stores == 5);
    CHECK(other.port.stores == 2);
    // Told before each write, with the physical page index.
    CHECK(observer.pages == std::vector<uint64_t>{kCodePage, kCodePage, kCodePage});
    CHECK(observer.seen == std::vector<uint64_t>{6, 7, 8});
    CHECK(m.peek64(kCode + 0x10) == 9);

    // Loads from the page, and stores to other pages, stay fast.
    CHECK(load_ok(m.env, kV + 0x10, MemOp::u64()) == 9);
    store_ok(m.env, kV + 0x1000, MemOp::u64(), 10);
    CHECK(m.cpu->port.loads == 0);
    CHECK(m.cpu->port.stores == 5);

    // Once the observer drops the code, stores are fast again.
    observer.clear = true;
    store_ok(m.env, kV + 0x10, MemOp::u64(), 11);  // slow: drops the code
    CHECK(observer.pages.size() == 4);
    CHECK_FALSE(m.memory.is_code_page(kCodePage));
    store_ok(m.env, kV + 0x18, MemOp::u64(), 12);
    store_ok(m.env, kV + 0x10, MemOp::u32(), 13);
    CHECK(m.cpu->port.stores == 6);
    CHECK(observer.pages.size() == 4);
    CHECK(m.peek64(kCode + 0x10) == 13);
    CHECK(m.peek64(kCode + 0x18) == 12);

    // The other vCPU's entry becomes fast on its own next slow store, without telling anyone.
    store_ok(other.env, kV + 0x10, MemOp::u64(), 14);
    store_ok(other.env, kV + 0x10, MemOp::u64(), 15);
    CHECK(other.port.stores == 3);
    CHECK(observer.pages.size() == 4);
    CHECK(m.peek64(kCode + 0x10) == 15);
}

TEST_CASE("A TLB filled after the page gained code stores through the port", "[softmmu]") {
    TestMachine m;
    RecordingObserver observer(m.memory);
    m.memory.set_code_observer(&observer);
    observer.watch = kCode;
    m.poke64(kCode, 0x11);
    m.memory.set_code_page(kCodePage, true);
    m.translator.map(kV, kCode, kRW);

    CHECK(load_ok(m.env, kV, MemOp::u64()) == 0x11);  // fills the entry for a load
    store_ok(m.env, kV, MemOp::u64(), 0x22);
    CHECK(m.cpu->port.stores == 1);
    CHECK(observer.pages == std::vector<uint64_t>{kCodePage});
    CHECK(observer.seen == std::vector<uint64_t>{0x11});
    store_ok(m.env, kV, MemOp::u64(), 0x33);
    CHECK(m.cpu->port.stores == 1);
    CHECK(m.peek64(kCode) == 0x33);
}

TEST_CASE("A crossing store and a host-side write tell the observer of each code page they touch", "[softmmu]") {
    TestMachine m;
    RecordingObserver observer(m.memory);
    m.memory.set_code_observer(&observer);
    observer.watch = kCode;
    m.translator.map(kV, kCode - 0x1000, kRW);
    m.translator.map(kV + 0x1000, kCode, kRW);
    m.memory.set_code_page(kCodePage, true);

    store_ok(m.env, kV + 0xffe, MemOp::u32(), 0xaabbccdd);
    CHECK(observer.pages == std::vector<uint64_t>{kCodePage});
    CHECK(observer.seen == std::vector<uint64_t>{0});
    CHECK(m.peek64(kCode) == 0xaabb);

    observer.clear = false;
    m.memory.set_code_page(kCodePage, true);
    m.memory.set_code_page(kCodePage + 1, true);
    const uint64_t value = 0x0102030405060708;
    REQUIRE(m.memory.write(kCode + 0xffc, &value, 8));  // a loader overwriting code
    CHECK(observer.pages == std::vector<uint64_t>{kCodePage, kCodePage, kCodePage + 1});
    observer.pages.clear();
    m.memory.notify_code_write(kCode + 0x100, 0);
    m.memory.notify_code_write(kCode - 8, 8);
    CHECK(observer.pages.empty());
}

TEST_CASE("An overlay's bytes reach the device, the rest of its page reaches RAM", "[softmmu]") {
    TestMachine m;
    RecordingDevice htif(devices::kSize4 | devices::kSize8);
    const uint64_t page = kRamBase + 0x2000;
    m.memory.add_mmio_overlay("htif", page + 0x40, 0x10, htif);
    m.translator.map(kV, page, kRW);
    htif.read_value = 0x77;

    SECTION("RAM store first, then the overlay") {
        store_ok(m.env, kV + 0x100, MemOp::u64(), 0x1111);
        store_ok(m.env, kV + 0x40, MemOp::u64(), 0x2222);
        store_ok(m.env, kV + 0x108, MemOp::u64(), 0x3333);
        store_ok(m.env, kV + 0x48, MemOp::u32(), 0x4444);
        CHECK(htif.ops == std::vector<Op>{{true, 0, 8, 0x2222}, {true, 8, 4, 0x4444}});
    }
    SECTION("overlay store first, then RAM") {
        store_ok(m.env, kV + 0x40, MemOp::u64(), 0x2222);
        store_ok(m.env, kV + 0x100, MemOp::u64(), 0x1111);
        store_ok(m.env, kV + 0x108, MemOp::u64(), 0x3333);
        store_ok(m.env, kV + 0x48, MemOp::u32(), 0x4444);
        CHECK(htif.ops == std::vector<Op>{{true, 0, 8, 0x2222}, {true, 8, 4, 0x4444}});
    }
    SECTION("a load first, then stores") {
        CHECK(load_ok(m.env, kV + 0x100, MemOp::u64()) == 0);
        store_ok(m.env, kV + 0x100, MemOp::u64(), 0x1111);
        store_ok(m.env, kV + 0x108, MemOp::u64(), 0x3333);
        store_ok(m.env, kV + 0x40, MemOp::u64(), 0x2222);
        store_ok(m.env, kV + 0x48, MemOp::u32(), 0x4444);
        CHECK(htif.ops == std::vector<Op>{{true, 0, 8, 0x2222}, {true, 8, 4, 0x4444}});
    }
    CHECK(m.cpu->port.stores == 4);  // never fast in that page
    CHECK(m.peek64(page + 0x100) == 0x1111);
    CHECK(m.peek64(page + 0x108) == 0x3333);
    CHECK(m.peek64(page + 0x40) == 0);  // RAM under the overlay stays untouched
    CHECK(m.peek64(page + 0x48) == 0);

    htif.ops.clear();
    CHECK(load_ok(m.env, kV + 0x40, MemOp::u64()) == 0x77);
    CHECK(load_ok(m.env, kV + 0x100, MemOp::u64()) == 0x1111);
    CHECK(load_ok(m.env, kV + 0x4c, MemOp::u32()) == 0x77);
    CHECK(load_ok(m.env, kV + 0x108, MemOp::u64()) == 0x3333);
    CHECK(htif.ops == std::vector<Op>{{false, 0, 8, 0}, {false, 0xc, 4, 0}});
    const int loads = m.cpu->port.loads;
    CHECK(load_ok(m.env, kV + 0x108, MemOp::u64()) == 0x3333);
    CHECK(m.cpu->port.loads == loads + 1);

    // The neighbouring pages are plain RAM.
    m.translator.map(kV + 0x1000, page + 0x1000, kRW);
    store_ok(m.env, kV + 0x1040, MemOp::u64(), 5);
    store_ok(m.env, kV + 0x1040, MemOp::u64(), 6);
    CHECK(m.cpu->port.stores == 5);
    CHECK(m.peek64(page + 0x1040) == 6);
    CHECK(htif.ops.size() == 2);
}

TEST_CASE("An overlay page that holds code keeps the overlay after the code is dropped", "[softmmu]") {
    TestMachine m;
    RecordingDevice htif(devices::kSize8);
    RecordingObserver observer(m.memory);
    m.memory.set_code_observer(&observer);
    const uint64_t page = kRamBase + 0x2000;
    m.memory.add_mmio_overlay("htif", page + 0x40, 0x10, htif);
    m.translator.map(kV, page, kRW);
    m.memory.set_code_page(page >> kGuestPageBits, true);

    store_ok(m.env, kV + 0x100, MemOp::u64(), 1);  // drops the code
    CHECK(observer.pages == std::vector<uint64_t>{page >> kGuestPageBits});
    store_ok(m.env, kV + 0x40, MemOp::u64(), 2);
    CHECK(htif.ops == std::vector<Op>{{true, 0, 8, 2}});
    CHECK(m.peek64(page + 0x40) == 0);
    CHECK(m.peek64(page + 0x100) == 1);
}
