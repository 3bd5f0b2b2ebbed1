// The Sv39/Sv48 page walk: mappings of every size, each page-fault and access-fault case, the
// permissions a TLB may cache, and atomic A/D updates including a lost race.
#include <catch2/catch.hpp>

#include "tests/frontends/riscv/test_priv_util.h"

using namespace mimic::test::priv;
using namespace mimic::riscv::pte;

namespace {

constexpr uint64_t kRam = 0x80000000;
constexpr uint64_t kRamSize = 16 << 20;
constexpr uint64_t kRoot = kRam + 0x100000;

// Builds page tables in a FakeMemory; intermediate tables come from a bump allocator.
class PageTables {
public:
    PageTables(FakeMemory& mem, int levels) : mem_(mem), levels_(levels) {}

    uint64_t satp() const { return (uint64_t(levels_ == 3 ? 8 : 9) << 60) | (kRoot >> 12); }

    // Installs `pte_value` at `level` (0 = the 4 KiB level) for va; returns the PTE's address.
    uint64_t set(uint64_t va, int level, uint64_t pte_value) {
        uint64_t table = kRoot;
        for (int l = levels_ - 1; l > level; --l) {
            const uint64_t at = table + ((va >> (12 + 9 * l)) & 511) * 8;
            uint64_t e = mem_.peek(at);
            if (!(e & kV)) {
                next_ += 0x1000;
                e = ((next_ >> 12) << kPpnShift) | kV;
                mem_.poke(at, e);
            }
            table = ((e >> kPpnShift) & kPpnMask) << 12;
        }
        const uint64_t at = table + ((va >> (12 + 9 * level)) & 511) * 8;
        mem_.poke(at, pte_value);
        return at;
    }

    uint64_t map(uint64_t va, uint64_t pa, uint64_t flags, int level = 0) {
        return set(va, level, ((pa >> 12) << kPpnShift) | flags | kV);
    }

private:
    FakeMemory& mem_;
    int levels_;
    uint64_t next_ = kRoot;
};

struct Fixture {
    FakeMemory mem{kRam, kRamSize};
    std::unique_ptr<CpuState> cpu = make_cpu();
    PageTables pt;

    explicit Fixture(int levels = 3) : pt(mem, levels) {
        open_pmp(*cpu);
        cpu->priv.satp = pt.satp();
        cpu->priv.priv = kPrivS;
    }
    WalkResult go(uint64_t va, Access a, Priv priv = kPrivS) { return translate(*cpu, mem, va, a, priv); }
};

void require_fault(const WalkResult& r, uint64_t cause, uint64_t va) {
    REQUIRE_FALSE(r.ok);
    CHECK(r.cause == cause);
    CHECK(r.tval == va);
}

}  // namespace

TEST_CASE("M-mode and Bare translate 1:1", "[riscv][priv]") {
    Fixture f;
    WalkResult r = f.go(0x1234, Access::kWrite, kPrivM);
    REQUIRE(r.ok);
    CHECK(r.paddr == 0x1234);
    CHECK((r.readable && r.writable && r.executable));
    f.cpu->priv.satp = 0;
    r = f.go(0xffffffff00000000ull, Access::kExecute, kPrivU);
    REQUIRE(r.ok);
    CHECK(r.paddr == 0xffffffff00000000ull);
    CHECK(f.mem.loads == 0);
}

TEST_CASE("Sv39 4 KiB page: address, A then D, cached permissions", "[riscv][priv]") {
    Fixture f;
    const uint64_t pte_at = f.pt.map(0x400000, kRam + 0x800000, kR | kW);
    WalkResult r = f.go(0x400123, Access::kRead);
    REQUIRE(r.ok);
    CHECK(r.paddr == kRam + 0x800123);
    CHECK(r.page_shift == 12);
    CHECK(r.readable);
    CHECK_FALSE(r.writable);  // D still clear: the first store must walk again
    CHECK_FALSE(r.executable);
    CHECK((f.mem.peek(pte_at) & (kA | kD)) == kA);

    r = f.go(0x400ff8, Access::kWrite);
    REQUIRE(r.ok);
    CHECK(r.writable);
    CHECK((f.mem.peek(pte_at) & (kA | kD)) == (kA | kD));
    const int cas_before = f.mem.cas_calls;
    r = f.go(0x400000, Access::kRead);
    CHECK(r.writable);
    CHECK(f.mem.cas_calls == cas_before);  // nothing left to update
}

TEST_CASE("Sv39 superpages and their alignment", "[riscv][priv]") {
    Fixture f;
    f.pt.map(0x40200000, kRam + 0x200000, kR | kX | kA, 1);
    WalkResult r = f.go(0x40212345, Access::kExecute);
    REQUIRE(r.ok);
    CHECK(r.page_shift == 21);
    CHECK(r.paddr == kRam + 0x212345);
    CHECK(r.executable);

    f.pt.map(0xc0000000, 0x80000000, kR | kW | kA | kD, 2);
    r = f.go(0xc3456789, Access::kWrite);
    REQUIRE(r.ok);
    CHECK(r.page_shift == 30);
    CHECK(r.paddr == 0x83456789);

    f.pt.map(0x40400000, kRam + 0x201000, kR | kA, 1);  // PPN[0] != 0
    require_fault(f.go(0x40400000, Access::kRead), kLoadPageFault, 0x40400000);
}

TEST_CASE("Sv48: four levels, terapages and its canonical range", "[riscv][priv]") {
    Fixture f(4);
    f.pt.map(0xffff800000001000ull, kRam + 0x5000, kR | kA);
    WalkResult r = f.go(0xffff800000001abcull, Access::kRead);
    REQUIRE(r.ok);
    CHECK(r.paddr == kRam + 0x5abc);

    f.pt.map(1ull << 39, 0, kR | kA, 3);
    r = f.go((1ull << 39) + 0x123456789ull, Access::kRead);
    REQUIRE(r.ok);
    CHECK(r.page_shift == 39);
    CHECK(r.paddr == 0x123456789ull);

    require_fault(f.go(0x0000800000000000ull, Access::kRead), kLoadPageFault, 0x0000800000000000ull);
    // Bit 39 set with bit 38 clear is canonical for Sv48 (a terapage) but not for Sv39.
    Fixture g(3);
    require_fault(g.go(1ull << 39, Access::kExecute), kInstructionPageFault, 1ull << 39);
    require_fault(g.go(0xffffff0000000000ull, Access::kWrite), kStorePageFault, 0xffffff0000000000ull);
}

TEST_CASE("page faults from malformed PTEs", "[riscv][priv]") {
    Fixture f;
    const uint64_t va = 0x600000;
    const uint64_t pa = kRam + 0x900000;
    const uint64_t ok = ((pa >> 12) << kPpnShift) | kV | kR | kW | kX | kA | kD;
    struct Case {
        const char* what;
        uint64_t pte;
    };
    const Case cases[] = {
        {"V clear", ok & ~kV},
        {"W without R", (ok & ~kR) & ~kX},
        {"W and X without R", ok & ~kR},
        {"reserved bit 54", ok | (1ull << 54)},
        {"N (Svnapot) bit", ok | (1ull << 63)},
        {"PBMT bits", ok | (1ull << 61)},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        f.pt.set(va, 0, c.pte);
        require_fault(f.go(va, Access::kRead), kLoadPageFault, va);
        require_fault(f.go(va + 8, Access::kWrite), kStorePageFault, va + 8);
        require_fault(f.go(va, Access::kExecute), kInstructionPageFault, va);
    }
    f.pt.set(va, 0, ok);
    CHECK(f.go(va, Access::kWrite).ok);

    // A pointer at the last level, and pointers with the reserved D, A or U bits.
    f.pt.set(0x700000, 0, ((kRam + 0x300000) >> 12) << kPpnShift | kV);
    require_fault(f.go(0x700000, Access::kRead), kLoadPageFault, 0x700000);
    f.pt.map(0x40000000, kRam, kR | kA | kD);  // creates the level-1 table for this gigabyte
    const uint64_t root_slot = kRoot + 1 * 8;
    const uint64_t pointer = f.mem.peek(root_slot);
    REQUIRE(f.go(0x40000000, Access::kRead).ok);
    for (uint64_t bit : {kA, kD, kU}) {
        f.mem.poke(root_slot, pointer | bit);
        require_fault(f.go(0x40000000, Access::kRead), kLoadPageFault, 0x40000000);
    }
}

TEST_CASE("U bit, SUM and MXR", "[riscv][priv]") {
    Fixture f;
    f.pt.map(0x10000, kRam + 0x10000, kR | kW | kX | kU | kA | kD);  // user page
    f.pt.map(0x20000, kRam + 0x20000, kR | kW | kX | kA | kD);       // supervisor page
    f.pt.map(0x30000, kRam + 0x30000, kX | kA | kU);                 // user execute-only
    f.pt.map(0x40000, kRam + 0x40000, kR | kA | kD);                 // read-only

    require_fault(f.go(0x10000, Access::kRead), kLoadPageFault, 0x10000);
    require_fault(f.go(0x10000, Access::kWrite), kStorePageFault, 0x10000);
    f.cpu->priv.mstatus |= mstatus::kSum;
    WalkResult r = f.go(0x10000, Access::kWrite);
    REQUIRE(r.ok);
    CHECK((r.readable && r.writable));
    CHECK_FALSE(r.executable);  // S never executes user pages
    require_fault(f.go(0x10000, Access::kExecute), kInstructionPageFault, 0x10000);

    r = f.go(0x10000, Access::kExecute, kPrivU);
    REQUIRE(r.ok);
    CHECK((r.readable && r.writable && r.executable));
    require_fault(f.go(0x20000, Access::kRead, kPrivU), kLoadPageFault, 0x20000);
    require_fault(f.go(0x20000, Access::kExecute, kPrivU), kInstructionPageFault, 0x20000);

    require_fault(f.go(0x30000, Access::kRead, kPrivU), kLoadPageFault, 0x30000);
    f.cpu->priv.mstatus |= mstatus::kMxr;
    r = f.go(0x30000, Access::kRead, kPrivU);
    REQUIRE(r.ok);
    CHECK(r.readable);
    CHECK_FALSE(r.writable);
    require_fault(f.go(0x30000, Access::kWrite, kPrivU), kStorePageFault, 0x30000);

    require_fault(f.go(0x40008, Access::kWrite), kStorePageFault, 0x40008);
    require_fault(f.go(0x40000, Access::kExecute), kInstructionPageFault, 0x40000);
}

TEST_CASE("a faulting access leaves A and D alone", "[riscv][priv]") {
    Fixture f;
    const uint64_t at = f.pt.map(0x50000, kRam + 0x50000, kR);
    require_fault(f.go(0x50000, Access::kWrite), kStorePageFault, 0x50000);
    CHECK((f.mem.peek(at) & (kA | kD)) == 0);
    CHECK(f.mem.cas_calls == 0);
}

TEST_CASE("access faults: page tables outside RAM or denied by PMP", "[riscv][priv]") {
    Fixture f;
    f.cpu->priv.satp = (8ull << 60) | (0x1000 >> 12);  // root table in no memory
    require_fault(f.go(0x1000, Access::kRead), kLoadAccessFault, 0x1000);
    require_fault(f.go(0x1000, Access::kWrite), kStoreAccessFault, 0x1000);
    require_fault(f.go(0x1000, Access::kExecute), kInstructionAccessFault, 0x1000);

    Fixture g;
    g.pt.map(0x1000, kRam + 0x1000, kR | kW | kX);
    g.cpu->priv.pmp = PmpState{};  // no entries: S-mode may not even read the tables
    require_fault(g.go(0x1000, Access::kRead), kLoadAccessFault, 0x1000);

    // Page tables readable but not writable under PMP: walking works until A must be set.
    Fixture h;
    const uint64_t at = h.pt.map(0x1000, kRam + 0x1000, kR | kW | kX);
    h.cpu->priv.pmp.addr[0] = (kRoot >> 2) | ((0x100000 >> 3) - 1);  // NAPOT over 1 MiB of tables
    h.cpu->priv.pmp.cfg[0] = pmpcfg::kR | (pmpcfg::kNapot << pmpcfg::kAShift);
    require_fault(h.go(0x1000, Access::kExecute), kInstructionAccessFault, 0x1000);
    h.mem.poke(at, h.mem.peek(at) | kA);
    CHECK(h.go(0x1000, Access::kExecute).ok);
    require_fault(h.go(0x1000, Access::kWrite), kStoreAccessFault, 0x1000);  // D must be set

    // Page tables in ROM.
    Fixture rom;
    const uint64_t rom_at = rom.pt.map(0x1000, kRam + 0x1000, kR | kW);
    rom.mem.rom = true;
    require_fault(rom.go(0x1000, Access::kRead), kLoadAccessFault, 0x1000);
    rom.mem.poke(rom_at, rom.mem.peek(rom_at) | kA | kD);
    CHECK(rom.go(0x1000, Access::kWrite).ok);
}

TEST_CASE("A/D updates that lose a race read the PTE again", "[riscv][priv]") {
    SECTION("the PTE was invalidated meanwhile") {
        Fixture f;
        const uint64_t at = f.pt.map(0x1000, kRam + 0x1000, kR | kW);
        f.mem.on_cas = [&] { f.mem.poke(at, 0); };
        require_fault(f.go(0x1000, Access::kRead), kLoadPageFault, 0x1000);
        CHECK(f.mem.cas_calls == 1);
    }
    SECTION("another bit changed: the update is retried on the new value") {
        Fixture f;
        const uint64_t at = f.pt.map(0x1000, kRam + 0x1000, kR | kW);
        f.mem.on_cas = [&] { f.mem.poke(at, f.mem.peek(at) | kG); };
        REQUIRE(f.go(0x1000, Access::kWrite).ok);
        CHECK(f.mem.cas_calls == 2);
        CHECK((f.mem.peek(at) & (kG | kA | kD)) == (kG | kA | kD));
    }
    SECTION("another hart already set A") {
        Fixture f;
        const uint64_t at = f.pt.map(0x1000, kRam + 0x1000, kR);
        f.mem.on_cas = [&] { f.mem.poke(at, f.mem.peek(at) | kA); };
        REQUIRE(f.go(0x1000, Access::kRead).ok);
        CHECK(f.mem.cas_calls == 1);
        CHECK((f.mem.peek(at) & kA) != 0);
    }
}

TEST_CASE("MPRV: M-mode loads translate at MPP", "[riscv][priv]") {
    Fixture f;
    f.pt.map(0x7000, kRam + 0xa000, kR | kA);
    CpuState& cpu = *f.cpu;
    cpu.priv.priv = kPrivM;
    cpu.priv.mstatus = mstatus::kMprv | (uint64_t(kPrivS) << mstatus::kMppShift);
    WalkResult r = translate(cpu, f.mem, 0x7010, Access::kRead, data_priv(cpu));
    REQUIRE(r.ok);
    CHECK(r.paddr == kRam + 0xa010);
    cpu.priv.mstatus = mstatus::kMprv | (uint64_t(kPrivM) << mstatus::kMppShift);
    r = translate(cpu, f.mem, 0x7010, Access::kRead, data_priv(cpu));
    CHECK(r.paddr == 0x7010);
}
