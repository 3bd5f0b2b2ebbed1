// Fixtures for the privileged-architecture tests: a hart state at reset, a board hook with a clock
// the test moves by hand, and page-table memory backed by a vector.
#pragma once

#include <cstring>
#include <functional>
#include <memory>
#include <vector>

#include "frontends/riscv/priv_csr.h"
#include "frontends/riscv/priv_mmu.h"
#include "frontends/riscv/priv_pmp.h"
#include "frontends/riscv/priv_trap.h"

namespace mimic::test::priv {

using namespace mimic::riscv;

class FakePlatform : public HartPlatform {
public:
    uint64_t now = 0;
    uint64_t armed = ~uint64_t(0);  // last arm_stimer deadline
    int arm_calls = 0;
    uint64_t time_ticks() override { return now; }
    void arm_stimer(uint64_t deadline) override {
        armed = deadline;
        ++arm_calls;
    }
};

// A hart at reset, with `platform` as its board.
inline std::unique_ptr<CpuState> make_cpu(HartPlatform* platform = nullptr, uint64_t hartid = 0) {
    auto cpu = std::make_unique<CpuState>();
    cpu->priv.platform = platform;
    reset_priv(*cpu, hartid);
    return cpu;
}

// RAM at [base, base + size); cas64 can be told to lose a race once (`on_cas` runs before it
// compares) or to refuse writes (ROM).
class FakeMemory : public PtwMemory {
public:
    FakeMemory(uint64_t base, size_t size) : base_(base), bytes_(size, 0) {}

    bool contains(uint64_t paddr) const { return paddr >= base_ && paddr - base_ + 8 <= bytes_.size(); }
    uint64_t peek(uint64_t paddr) const {
        uint64_t v;
        std::memcpy(&v, &bytes_[paddr - base_], 8);
        return v;
    }
    void poke(uint64_t paddr, uint64_t v) { std::memcpy(&bytes_[paddr - base_], &v, 8); }

    bool load64(uint64_t paddr, uint64_t& value) override {
        ++loads;
        if (!contains(paddr)) return false;
        value = peek(paddr);
        return true;
    }
    Cas cas64(uint64_t paddr, uint64_t expected, uint64_t desired) override {
        ++cas_calls;
        if (!contains(paddr) || rom) return Cas::kFault;
        if (on_cas) {
            auto hook = std::move(on_cas);
            on_cas = nullptr;
            hook();
        }
        if (peek(paddr) != expected) return Cas::kChanged;
        poke(paddr, desired);
        return Cas::kSwapped;
    }

    bool rom = false;
    std::function<void()> on_cas;
    int loads = 0, cas_calls = 0;

private:
    uint64_t base_;
    std::vector<uint8_t> bytes_;
};

// Gives S and U mode every permission on all memory, as firmware does before booting a kernel
// (PMP entry 15, so lower entries can still be used by a test).
inline void open_pmp(CpuState& cpu) {
    cpu.priv.pmp.addr[15] = PmpState::kAddrMask;  // NAPOT over the whole physical address space
    cpu.priv.pmp.cfg[15] = pmpcfg::kR | pmpcfg::kW | pmpcfg::kX | (pmpcfg::kNapot << pmpcfg::kAShift);
}

}  // namespace mimic::test::priv
