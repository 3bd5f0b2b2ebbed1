// SoftMmu's TLB and slow paths: fills, faults, MMIO dispatch with the bus's rules, ROM, and
// flushes.
#include <catch2/catch.hpp>

#include "tests/devices/log_capture.h"
#include "tests/softmmu/softmmu_test_util.h"

using namespace mimic;
using namespace mimic::softmmu;
using namespace mimic::softmmu::test;
using ir::MemOp;
using Op = RecordingDevice::Op;

namespace {
constexpr uint64_t kV = 0x4000'0000;  // virtual addresses the tests map
}

TEST_CASE("A filled TLB entry serves loads and stores without the translator", "[softmmu]") {
    TestMachine m;
    m.translator.map(kV, kRamBase + 0x3000, kRW);
    m.poke64(kRamBase + 0x3008, 0x1122334455667788);
    m.poke64(kRamBase + 0x3010, 0x80);

    CHECK(load_ok(m.env, kV + 8, MemOp::u64()) == 0x1122334455667788);  // miss: fills
    REQUIRE(m.translator.calls.size() == 1);
    CHECK(m.translator.calls[0].access == Access::kRead);
    CHECK(m.translator.calls[0].mmu_index == 0);
    CHECK(m.cpu->port.loads == 1);

    CHECK(load_ok(m.env, kV + 8, MemOp::u32()) == 0x55667788);
    CHECK(load_ok(m.env, kV + 0xc, MemOp::s32()) == 0x11223344);
    CHECK(load_ok(m.env, kV + 0x10, MemOp::s8()) == 0xffffffffffffff80);
    CHECK(load_ok(m.env, kV + 0x10, MemOp::u16()) == 0x80);
    CHECK(load_ok(m.env, kV + 0x9, MemOp::u32()) == 0x44556677);  // misaligned, inside the page
    store_ok(m.env, kV + 0x20, MemOp::u16(), 0xbeef);
    store_ok(m.env, kV + 0x28, MemOp::u64(), 0x0102030405060708);
    CHECK(m.cpu->port.loads == 1);
    CHECK(m.cpu->port.stores == 0);
    CHECK(m.translator.calls.size() == 1);
    CHECK(m.peek64(kRamBase + 0x3020) == 0xbeef);
    CHECK(m.peek64(kRamBase + 0x3028) == 0x0102030405060708);

    // Another MMU index has a table of its own.
    CHECK(load_ok(m.env, kV + 0x20, op(MemOp::u16(), 2)) == 0xbeef);
    REQUIRE(m.translator.calls.size() == 2);
    CHECK(m.translator.calls[1].mmu_index == 2);
}

TEST_CASE("A page whose store permission is not cached asks the translator on the first store", "[softmmu]") {
    TestMachine m;
    m.translator.map(kV, kRamBase, kR);
    CHECK(load_ok(m.env, kV, MemOp::u64()) == 0);
    CHECK_FALSE(tlb_store(&m.env, kV + 8, MemOp::u64(), 1));
    CHECK(take_exception(m.env) == Exception{1, kStorePageFault, kV + 8});
    CHECK(m.peek64(kRamBase + 8) == 0);

    m.translator.map(kV, kRamBase, kRW);  // e.g. the walker set the dirty bit
    const size_t calls = m.translator.calls.size();
    store_ok(m.env, kV + 8, MemOp::u64(), 42);
    REQUIRE(m.translator.calls.size() == calls + 1);
    CHECK(m.translator.calls.back().access == Access::kWrite);
    CHECK(m.peek64(kRamBase + 8) == 42);
    store_ok(m.env, kV + 16, MemOp::u64(), 43);
    CHECK(m.translator.calls.size() == calls + 1);
}

TEST_CASE("A translation that may not be cached is asked for on every access", "[softmmu]") {
    TestMachine m;
    m.translator.map(kV, kRamBase, kRW, 12, /*cacheable=*/false);
    m.poke64(kRamBase, 7);
    for (int i = 0; i < 3; ++i) CHECK(load_ok(m.env, kV, MemOp::u64()) == 7);
    store_ok(m.env, kV + 8, MemOp::u32(), 9);
    store_ok(m.env, kV + 8, MemOp::u32(), 10);
    CHECK(m.peek64(kRamBase + 8) == 10);
    CHECK(m.cpu->port.loads == 3);
    CHECK(m.cpu->port.stores == 2);
    CHECK(m.translator.calls.size() >= 5);

    // Refused on a later access: the fault is raised, not a stale answer used.
    m.translator.unmap(kV);
    uint64_t v;
    CHECK_FALSE(tlb_load(&m.env, kV + 4, MemOp::u32(), &v));
    CHECK(take_exception(m.env) == Exception{1, kLoadPageFault, kV + 4});
}

TEST_CASE("A refused translation records the page fault with the virtual address", "[softmmu]") {
    TestMachine m;
    uint64_t v = 0;
    CHECK_FALSE(tlb_load(&m.env, kV + 0x123, MemOp::u32(), &v));
    CHECK(take_exception(m.env) == Exception{1, kLoadPageFault, kV + 0x123});
    CHECK_FALSE(tlb_store(&m.env, kV + 0x456, MemOp::u8(), 1));
    CHECK(take_exception(m.env) == Exception{1, kStorePageFault, kV + 0x456});

    // A fault is not cached: once mapped, the same page works.
    m.translator.map(kV, kRamBase, kRW);
    store_ok(m.env, kV + 0x456, MemOp::u8(), 0x5a);
    CHECK(load_ok(m.env, kV + 0x456, MemOp::u8()) == 0x5a);

    SECTION("a write-only refusal keeps memory unchanged") {
        m.translator.map(kV + 0x1000, kRamBase + 0x1000, kR);
        CHECK_FALSE(tlb_store(&m.env, kV + 0x1010, MemOp::u64(), ~uint64_t(0)));
        CHECK(take_exception(m.env) == Exception{1, kStorePageFault, kV + 0x1010});
        CHECK(m.peek64(kRamBase + 0x1010) == 0);
    }
}

TEST_CASE("An unassigned physical address gives the access fault and is not cached", "[softmmu]") {
    devices::test::LogCapture capture;
    PhysicalMemory logged(&capture.log);
    FakeTranslator translator;
    Vcpu cpu(logged, translator);
    translator.map(kV, kUnassigned, kRW);
    uint64_t v;
    CHECK_FALSE(tlb_load(&cpu.env, kV + 8, MemOp::u64(), &v));
    CHECK(take_exception(cpu.env) == Exception{1, kLoadAccessFault, kV + 8});
    CHECK_FALSE(tlb_store(&cpu.env, kV + 16, MemOp::u32(), 1));
    CHECK(take_exception(cpu.env) == Exception{1, kStoreAccessFault, kV + 16});
    CHECK_FALSE(tlb_load(&cpu.env, kV + 8, MemOp::u64(), &v));
    CHECK(take_exception(cpu.env) == Exception{1, kLoadAccessFault, kV + 8});
    CHECK(translator.calls.size() == 3);
    CHECK(capture.text().find("unassigned physical address 0x20000008") != std::string::npos);
}

TEST_CASE("Aligned-only accesses that are misaligned raise the misaligned cause", "[softmmu]") {
    TestMachine m;
    m.translator.map(kV, kRamBase, kRW);
    uint64_t v;
    CHECK_FALSE(tlb_load(&m.env, kV + 2, aligned(MemOp::u32()), &v));
    CHECK(take_exception(m.env) == Exception{1, kLoadMisaligned, kV + 2});
    CHECK_FALSE(tlb_store(&m.env, kV + 4, aligned(MemOp::u64()), ~uint64_t(0)));
    CHECK(take_exception(m.env) == Exception{1, kStoreMisaligned, kV + 4});
    CHECK(m.peek64(kRamBase) == 0);
    CHECK(m.peek64(kRamBase + 8) == 0);
    // Aligned, they work (and the unaligned op may be misaligned).
    store_ok(m.env, kV + 8, aligned(MemOp::u64()), 0x1234);
    CHECK(load_ok(m.env, kV + 8, aligned(MemOp::u16())) == 0x1234);
    CHECK(load_ok(m.env, kV + 7, MemOp::u16()) == 0x3400);
}

TEST_CASE("MMIO accesses reach the device with its offset and size, never on the fast path", "[softmmu]") {
    TestMachine m;
    m.translator.map(kV, kMmioBase, kRW);
    m.translator.map(kV + 0x1000, kMmioBase + 0x1000, kRW);
    m.device.read_value = 0xffffffff80000001;

    CHECK(load_ok(m.env, kV + 0x10, MemOp::u32()) == 0x80000001);
    CHECK(load_ok(m.env, kV + 0x10, MemOp::s32()) == 0xffffffff80000001);
    CHECK(load_ok(m.env, kV + 0x1008, MemOp::u64()) == 0xffffffff80000001);
    store_ok(m.env, kV + 0x18, MemOp::u64(), 0xabcdef);
    store_ok(m.env, kV + 0x1ffc, MemOp::u32(), 0x77);
    store_ok(m.env, kV + 0x18, MemOp::u64(), 0xabcdf0);
    CHECK(m.device.ops == std::vector<Op>{{false, 0x10, 4, 0},
                                          {false, 0x10, 4, 0},
                                          {false, 0x1008, 8, 0},
                                          {true, 0x18, 8, 0xabcdef},
                                          {true, 0x1ffc, 4, 0x77},
                                          {true, 0x18, 8, 0xabcdf0}});
    CHECK(m.cpu->port.loads == 3);
    CHECK(m.cpu->port.stores == 3);
    CHECK(m.translator.calls.size() == 2);  // the two pages are cached, as slow entries
}

TEST_CASE("MMIO accesses the device does not accept give the access fault", "[softmmu]") {
    devices::test::LogCapture capture;
    PhysicalMemory logged(&capture.log);
    RecordingDevice device(devices::kSize4);
    logged.add_mmio("dev", kMmioBase, 0x100, device);
    FakeTranslator translator;
    Vcpu cpu(logged, translator);
    translator.map(kV, kMmioBase, kRW);
    uint64_t v;

    CHECK_FALSE(tlb_load(&cpu.env, kV + 0x10, MemOp::u16(), &v));  // size not declared
    CHECK(take_exception(cpu.env) == Exception{1, kLoadAccessFault, kV + 0x10});
    CHECK_FALSE(tlb_store(&cpu.env, kV + 0x10, MemOp::u8(), 1));
    CHECK(take_exception(cpu.env) == Exception{1, kStoreAccessFault, kV + 0x10});
    CHECK_FALSE(tlb_load(&cpu.env, kV + 0x10, MemOp::u64(), &v));
    CHECK(take_exception(cpu.env) == Exception{1, kLoadAccessFault, kV + 0x10});
    CHECK_FALSE(tlb_load(&cpu.env, kV + 0x12, MemOp::u32(), &v));  // misaligned
    CHECK(take_exception(cpu.env) == Exception{1, kLoadAccessFault, kV + 0x12});
    CHECK_FALSE(tlb_store(&cpu.env, kV + 0x11, MemOp::u32(), 1));
    CHECK(take_exception(cpu.env) == Exception{1, kStoreAccessFault, kV + 0x11});
    CHECK_FALSE(tlb_load(&cpu.env, kV + 0x100, MemOp::u32(), &v));  // past the device, same page
    CHECK(take_exception(cpu.env) == Exception{1, kLoadAccessFault, kV + 0x100});
    CHECK(device.ops.empty());
    CHECK(capture.text().find("2-byte read of dev at 0x10000010") != std::string::npos);

    store_ok(cpu.env, kV + 0x10, MemOp::u32(), 5);  // and the accepted one does reach it
    CHECK(device.ops == std::vector<Op>{{true, 0x10, 4, 5}});
}

TEST_CASE("ROM reads like memory and ignores stores", "[softmmu]") {
    TestMachine m;
    m.poke64(kRomBase + 0x1040, 0x0123456789abcdef);  // the host side may fill ROM
    m.translator.map(kV, kRomBase + 0x1000, kRWX);
    CHECK(load_ok(m.env, kV + 0x40, MemOp::u64()) == 0x0123456789abcdef);
    CHECK(load_ok(m.env, kV + 0x44, MemOp::u32()) == 0x01234567);
    CHECK(m.cpu->port.loads == 1);  // reads are fast after the fill
    store_ok(m.env, kV + 0x40, MemOp::u64(), 0);
    store_ok(m.env, kV + 0x40, MemOp::u8(), 0xff);
    CHECK(m.cpu->port.stores == 2);  // writes never are
    CHECK(m.peek64(kRomBase + 0x1040) == 0x0123456789abcdef);
    CHECK(load_ok(m.env, kV + 0x40, MemOp::u64()) == 0x0123456789abcdef);
}

TEST_CASE("flush() makes every access use the translator's new mapping", "[softmmu]") {
    TestMachine m;
    m.poke64(kRamBase + 0x1000, 0xa1);
    m.poke64(kRamBase + 0x2000, 0xa2);
    m.poke64(kRamBase + 0x5000, 0xb1);
    m.poke64(kRamBase + 0x6000, 0xb2);
    m.translator.map(kV, kRamBase + 0x1000, kRW);
    m.translator.map(kV + 0x1000, kRamBase + 0x2000, kRW);
    CHECK(load_ok(m.env, kV, MemOp::u64()) == 0xa1);
    CHECK(load_ok(m.env, kV + 0x1000, MemOp::u64()) == 0xa2);
    CHECK_FALSE(m.cpu->mmu.take_flushed());

    m.translator.map(kV, kRamBase + 0x5000, kRW);
    m.translator.map(kV + 0x1000, kRamBase + 0x6000, kRW);
    CHECK(load_ok(m.env, kV, MemOp::u64()) == 0xa1);  // cached until flushed
    m.cpu->mmu.flush();
    CHECK(m.cpu->mmu.take_flushed());
    CHECK_FALSE(m.cpu->mmu.take_flushed());
    CHECK(load_ok(m.env, kV, MemOp::u64()) == 0xb1);
    CHECK(load_ok(m.env, kV + 0x1000, MemOp::u64()) == 0xb2);
    store_ok(m.env, kV + 8, MemOp::u64(), 1);
    CHECK(m.peek64(kRamBase + 0x5008) == 1);
    CHECK(m.peek64(kRamBase + 0x1008) == 0);

    // Through the MemoryPort interface too, in every MMU index.
    CHECK(load_ok(m.env, kV, op(MemOp::u64(), 3)) == 0xb1);
    m.translator.map(kV, kRamBase + 0x1000, kRW);
    m.cpu->mmu.flush_translations(&m.env);
    CHECK(load_ok(m.env, kV, op(MemOp::u64(), 3)) == 0xa1);
    CHECK(m.cpu->mmu.take_flushed());
}

TEST_CASE("flush_page() forgets one page unless a superpage is cached", "[softmmu]") {
    TestMachine m;
    m.poke64(kRamBase + 0x1000, 0xa1);
    m.poke64(kRamBase + 0x2000, 0xa2);
    m.poke64(kRamBase + 0x5000, 0xb1);
    m.poke64(kRamBase + 0x6000, 0xb2);
    const uint64_t a = kV, b = kV + 0x7000;
    m.translator.map(a, kRamBase + 0x1000, kRW);
    m.translator.map(b, kRamBase + 0x2000, kRW);
    for (unsigned index : {0u, 2u}) {
        CHECK(load_ok(m.env, a, op(MemOp::u64(), index)) == 0xa1);
        CHECK(load_ok(m.env, b, op(MemOp::u64(), index)) == 0xa2);
    }
    m.translator.map(a, kRamBase + 0x5000, kRW);
    m.translator.map(b, kRamBase + 0x6000, kRW);

    m.cpu->mmu.flush_page(a + 0x123);
    CHECK(m.cpu->mmu.take_flushed());
    CHECK_FALSE(m.cpu->mmu.take_flushed());
    for (unsigned index : {0u, 2u}) {
        CHECK(load_ok(m.env, a, op(MemOp::u64(), index)) == 0xb1);  // in every MMU index
        CHECK(load_ok(m.env, b, op(MemOp::u64(), index)) == 0xa2);  // still the cached mapping
    }
    m.cpu->mmu.flush_translation(&m.env, b);
    CHECK(load_ok(m.env, b, MemOp::u64()) == 0xb2);

    SECTION("a cached superpage makes flush_page flush everything") {
        const uint64_t super = 0x4020'0000;  // a 2 MiB page onto the start of RAM
        m.translator.map(super, kRamBase, kRW, 21);
        m.poke64(kRamBase + 0x10'0000, 0xc1);
        CHECK(load_ok(m.env, super + 0x10'0000, MemOp::u64()) == 0xc1);
        m.translator.map(b, kRamBase + 0x2000, kRW);
        m.translator.map(super, kRamBase + 0x1000, kRW, 21);
        m.poke64(kRamBase + 0x10'1000, 0xc2);
        m.cpu->mmu.flush_page(kV + 0x3000);  // a page nothing cached
        CHECK(m.cpu->mmu.take_flushed());
        CHECK(load_ok(m.env, b, MemOp::u64()) == 0xa2);
        CHECK(load_ok(m.env, super + 0x10'0000, MemOp::u64()) == 0xc2);

        // A full flush forgets the superpage, and flush_page is selective again.
        m.cpu->mmu.flush();
        CHECK(load_ok(m.env, a, MemOp::u64()) == 0xb1);
        CHECK(load_ok(m.env, b, MemOp::u64()) == 0xa2);
        m.translator.map(a, kRamBase + 0x1000, kRW);
        m.translator.map(b, kRamBase + 0x6000, kRW);
        m.cpu->mmu.flush_page(a);
        CHECK(load_ok(m.env, a, MemOp::u64()) == 0xa1);
        CHECK(load_ok(m.env, b, MemOp::u64()) == 0xa2);
    }
}
