// PhysicalMemory: the region map, host-side access, the bus rules of MMIO, and code flags.
#include <stdexcept>

#include <catch2/catch.hpp>

#include "tests/softmmu/softmmu_test_util.h"

using namespace mimic;
using namespace mimic::softmmu;
using namespace mimic::softmmu::test;
using Op = RecordingDevice::Op;

TEST_CASE("Regions may not overlap, and RAM and ROM must be whole pages", "[softmmu]") {
    PhysicalMemory memory;
    RecordingDevice device(devices::kSize4);
    memory.add_ram("ram", 0x8000'0000, 0x10'0000);
    memory.add_mmio("dev", 0x1000'0000, 0x100, device);
    CHECK_THROWS_AS(memory.add_ram("same", 0x8000'0000, 0x1000), std::invalid_argument);
    CHECK_THROWS_AS(memory.add_rom("inside", 0x8008'0000, 0x1000), std::invalid_argument);
    CHECK_THROWS_AS(memory.add_ram("tail", 0x800f'f000, 0x2000), std::invalid_argument);
    CHECK_THROWS_AS(memory.add_ram("head", 0x7fff'f000, 0x2000), std::invalid_argument);
    CHECK_THROWS_AS(memory.add_ram("around", 0x7000'0000, 0x2000'0000), std::invalid_argument);
    CHECK_THROWS_AS(memory.add_mmio("dev2", 0x1000'00fc, 4, device), std::invalid_argument);
    CHECK_THROWS_AS(memory.add_ram("unaligned", 0x9000'0800, 0x1000), std::invalid_argument);
    CHECK_THROWS_AS(memory.add_rom("partial", 0x9000'0000, 0x800), std::invalid_argument);
    CHECK_THROWS_AS(memory.add_ram("empty", 0x9000'0000, 0), std::invalid_argument);
    CHECK_THROWS_AS(memory.add_mmio("wraps", ~uint64_t(0xfff), 0x2000, device), std::invalid_argument);
    CHECK(memory.regions().size() == 2);

    // Touching is not overlapping.
    memory.add_rom("below", 0x7fff'f000, 0x1000);
    memory.add_ram("above", 0x8010'0000, 0x1000);
    memory.add_mmio("next", 0x1000'0100, 0x100, device);
    REQUIRE(memory.regions().size() == 5);
    for (size_t i = 1; i < memory.regions().size(); ++i)
        CHECK(memory.regions()[i - 1]->base < memory.regions()[i]->base);
}

TEST_CASE("find() picks the region holding an address, overlays first", "[softmmu]") {
    PhysicalMemory memory;
    RecordingDevice uart(devices::kSize1), htif(devices::kSize8);
    uint8_t* ram = memory.add_ram("ram", 0x8000'0000, 0x2000);
    uint8_t* rom = memory.add_rom("rom", 0x1000, 0x1000);
    memory.add_mmio("uart", 0x1000'0000, 0x100, uart);
    memory.add_mmio_overlay("htif", 0x8000'1008, 0x10, htif);

    const Region* r = memory.find(0x8000'0000);
    REQUIRE(r);
    CHECK(r->name == "ram");
    CHECK(r->kind == RegionKind::kRam);
    CHECK(r->host == ram);
    CHECK(memory.find(0x8000'1fff) == r);
    CHECK(memory.find(0x8000'1007) == r);
    CHECK(memory.find(0x8000'1018) == r);
    const Region* o = memory.find(0x8000'1008);
    REQUIRE(o);
    CHECK(o->name == "htif");
    CHECK(o->kind == RegionKind::kMmio);
    CHECK(o->device == &htif);
    CHECK(memory.find(0x8000'1017) == o);
    REQUIRE(memory.find(0x1fff));
    CHECK(memory.find(0x1fff)->kind == RegionKind::kRom);
    CHECK(memory.find(0x1fff)->host == rom);
    REQUIRE(memory.find(0x1000'00ff));
    CHECK(memory.find(0x1000'00ff)->device == &uart);
    CHECK(memory.find(0x1000'0100) == nullptr);
    CHECK(memory.find(0x8000'2000) == nullptr);
    CHECK(memory.find(0xfff) == nullptr);
    CHECK(memory.find(0) == nullptr);

    CHECK(memory.page_has_overlay(0x8000'1000 >> kGuestPageBits));
    CHECK_FALSE(memory.page_has_overlay(0x8000'0000 >> kGuestPageBits));
    CHECK_FALSE(memory.page_has_overlay(0x8000'2000 >> kGuestPageBits));
}

TEST_CASE("Host-side read and write see RAM and ROM, never devices or overlays", "[softmmu]") {
    PhysicalMemory memory;
    RecordingDevice uart(devices::kSize1 | devices::kSize2 | devices::kSize4 | devices::kSize8), htif(devices::kSize8);
    uint8_t* ram = memory.add_ram("ram", 0x8000'0000, 0x2000);
    memory.add_ram("ram2", 0x8000'2000, 0x1000);  // adjacent, but another region
    uint8_t* rom = memory.add_rom("rom", 0x1000, 0x1000);
    memory.add_mmio("uart", 0x1000'0000, 0x100, uart);
    memory.add_mmio_overlay("htif", 0x8000'1008, 0x10, htif);

    uint64_t v = 0x1122334455667788;
    CHECK(memory.write(0x8000'1008, &v, 8));  // under the overlay
    CHECK(ram[0x1008] == 0x88);
    uint64_t back = 0;
    CHECK(memory.read(0x8000'1008, &back, 8));
    CHECK(back == v);
    CHECK(memory.write(0x1ff8, &v, 8));  // loaders fill ROM
    CHECK(rom[0xff8] == 0x88);
    CHECK(memory.read(0x1ffc, &back, 4));
    CHECK(uint32_t(back) == 0x11223344);
    CHECK(memory.read(0x8000'0000, &back, 0));

    CHECK_FALSE(memory.write(0x1000'0000, &v, 8));
    CHECK_FALSE(memory.read(0x1000'0000, &back, 8));
    CHECK_FALSE(memory.write(0x8000'1ffc, &v, 8));    // crosses into the next region
    CHECK_FALSE(memory.read(0x8000'2ffc, &back, 8));  // past the end of RAM
    CHECK_FALSE(memory.read(0x2000'0000, &back, 1));
    CHECK(uart.ops.empty());
    CHECK(htif.ops.empty());
}

TEST_CASE("ram_pointer covers RAM only, and only whole ranges inside one region", "[softmmu]") {
    PhysicalMemory memory;
    RecordingDevice uart(devices::kSize1);
    uint8_t* ram = memory.add_ram("ram", 0x8000'0000, 0x2000);
    memory.add_rom("rom", 0x1000, 0x1000);
    memory.add_mmio("uart", 0x1000'0000, 0x100, uart);
    CHECK(memory.ram_pointer(0x8000'0000, 0x2000) == ram);
    CHECK(memory.ram_pointer(0x8000'1fff, 1) == ram + 0x1fff);
    CHECK(memory.ram_pointer(0x8000'1ff8, 8) == ram + 0x1ff8);
    CHECK(memory.ram_pointer(0x8000'1ff9, 8) == nullptr);
    CHECK(memory.ram_pointer(0x8000'0000, 0x2001) == nullptr);
    CHECK(memory.ram_pointer(0x8000'2000, 1) == nullptr);
    CHECK(memory.ram_pointer(0x7fff'ffff, 2) == nullptr);
    CHECK(memory.ram_pointer(0x8000'0000, ~uint64_t(0)) == nullptr);
    CHECK(memory.ram_pointer(0x1000, 4) == nullptr);  // ROM
    CHECK(memory.ram_pointer(0x1000'0000, 1) == nullptr);
}

TEST_CASE("mmio_read and mmio_write enforce the declared sizes and natural alignment", "[softmmu]") {
    PhysicalMemory memory;
    RecordingDevice device(devices::kSize2 | devices::kSize4);
    memory.add_mmio("dev", 0x1000'0000, 0x10, device);
    const Region& r = *memory.find(0x1000'0000);
    uint64_t v = 0;
    CHECK(memory.mmio_read(r, 0x1000'0004, 4, &v));
    CHECK(v == 0x44332211);
    CHECK(memory.mmio_write(r, 0x1000'000e, 2, 0xabcd));
    CHECK_FALSE(memory.mmio_read(r, 0x1000'0004, 8, &v));  // size not declared
    CHECK_FALSE(memory.mmio_write(r, 0x1000'0004, 1, 0));  // size not declared
    CHECK_FALSE(memory.mmio_read(r, 0x1000'0002, 4, &v));  // misaligned
    CHECK_FALSE(memory.mmio_write(r, 0x1000'0001, 2, 0));  // misaligned
    CHECK_FALSE(memory.mmio_read(r, 0x1000'0010, 4, &v));  // past the end
    CHECK(device.ops == std::vector<Op>{{false, 4, 4, 0}, {true, 0xe, 2, 0xabcd}});
}

// The bug behind "A misaligned access crossing out of an MMIO page never reaches the device": a
// size that is not a power of two shares a bit with a declared one.
TEST_CASE("mmio_read and mmio_write refuse sizes that are not 1, 2, 4 or 8", "[softmmu]") {
    PhysicalMemory memory;
    RecordingDevice device(devices::kSize1 | devices::kSize2 | devices::kSize4 | devices::kSize8);
    memory.add_mmio("dev", 0x1000'0000, 0x1000, device);
    const Region& r = *memory.find(0x1000'0000);
    uint64_t v = 0;
    CHECK_FALSE(memory.mmio_read(r, 0x1000'0000, 3, &v));
    CHECK_FALSE(memory.mmio_write(r, 0x1000'0000, 5, 0));
    CHECK_FALSE(memory.mmio_write(r, 0x1000'0000, 6, 0));
    CHECK_FALSE(memory.mmio_read(r, 0x1000'0000, 7, &v));
    CHECK(device.ops.empty());
}

TEST_CASE("Code flags are kept per page of RAM and ROM", "[softmmu]") {
    PhysicalMemory memory;
    RecordingDevice uart(devices::kSize1);
    memory.add_ram("ram", 0x8000'0000, 0x3000);
    memory.add_rom("rom", 0x1000, 0x1000);
    memory.add_mmio("uart", 0x1000'0000, 0x1000, uart);
    const uint64_t ram_page = 0x8000'1000 >> kGuestPageBits;
    memory.set_code_page(ram_page, true);
    memory.set_code_page(0x1000 >> kGuestPageBits, true);
    memory.set_code_page(0x1000'0000 >> kGuestPageBits, true);  // not memory: ignored
    memory.set_code_page(0x2000'0000 >> kGuestPageBits, true);
    CHECK(memory.is_code_page(ram_page));
    CHECK_FALSE(memory.is_code_page(ram_page - 1));
    CHECK_FALSE(memory.is_code_page(ram_page + 1));
    CHECK(memory.is_code_page(0x1000 >> kGuestPageBits));
    CHECK_FALSE(memory.is_code_page(0x1000'0000 >> kGuestPageBits));
    CHECK_FALSE(memory.is_code_page(0x2000'0000 >> kGuestPageBits));
    memory.set_code_page(ram_page, false);
    CHECK_FALSE(memory.is_code_page(ram_page));

    // Without an observer, a write to a code page just happens.
    memory.set_code_page(ram_page, true);
    const uint32_t v = 7;
    CHECK(memory.write(0x8000'1000, &v, 4));
    CHECK(memory.is_code_page(ram_page));
}
