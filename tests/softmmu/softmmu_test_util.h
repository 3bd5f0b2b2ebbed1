// Test doubles for the soft-MMU tests: a page-map translator with per-page permissions and
// RISC-V's fault causes, an MMIO device and a code observer that record what reaches them, a
// MemoryPort that counts the slow-path calls, and a small machine wiring them together.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <vector>

#include <catch2/catch.hpp>

#include "devices/device.h"
#include "engine/cpu_header.h"
#include "ir/memop.h"
#include "softmmu/memory_port.h"
#include "softmmu/physical_memory.h"
#include "softmmu/soft_mmu.h"
#include "softmmu/tlb.h"

namespace mimic::softmmu::test {

// RISC-V's causes, so that a mix-up between kinds of fault shows in the numbers.
inline constexpr uint64_t kFetchPageFault = 12, kLoadPageFault = 13, kStorePageFault = 15;
inline constexpr uint64_t kFetchAccessFault = 1, kLoadAccessFault = 5, kStoreAccessFault = 7;
inline constexpr uint64_t kFetchMisaligned = 0, kLoadMisaligned = 4, kStoreMisaligned = 6;

inline uint64_t by_access(Access a, uint64_t fetch, uint64_t load, uint64_t store) {
    return a == Access::kExecute ? fetch : a == Access::kRead ? load : store;
}

enum Perm : uint8_t { kR = 1, kW = 2, kX = 4, kRW = kR | kW, kRX = kR | kX, kRWX = kR | kW | kX };

class FakeTranslator final : public AddressTranslator {
public:
    struct Call {
        uint64_t vaddr;
        Access access;
        unsigned mmu_index;
    };

    // Maps [vbase, vbase + 2^page_bits) to pbase. A later map() of the same vbase replaces it.
    // `cacheable` false: the answer may not be kept in the TLB (protection finer than a page).
    void map(uint64_t vbase, uint64_t pbase, uint8_t perms, unsigned page_bits = 12, bool cacheable = true) {
        unmap(vbase);
        mappings_.push_back({vbase, pbase, perms, page_bits, cacheable});
    }
    void unmap(uint64_t vbase) {
        std::erase_if(mappings_, [&](const Mapping& m) { return m.vbase == vbase; });
    }

    Result translate(CpuHeader*, uint64_t vaddr, Access access, unsigned mmu_index) override {
        calls.push_back({vaddr, access, mmu_index});
        Result r;
        for (const Mapping& m : mappings_) {
            if (vaddr - m.vbase >= (uint64_t(1) << m.page_bits)) continue;
            const uint8_t need = by_access(access, kX, kR, kW);
            if (!(m.perms & need)) break;
            r.ok = true;
            r.paddr = m.pbase + (vaddr - m.vbase);
            r.page_bits = m.page_bits;
            r.cache_read = m.cacheable && (m.perms & kR);
            r.cache_write = m.cacheable && (m.perms & kW);
            r.cache_exec = m.cacheable && (m.perms & kX);
            return r;
        }
        r.cause = by_access(access, kFetchPageFault, kLoadPageFault, kStorePageFault);
        return r;
    }
    uint64_t access_fault_cause(Access a) const override {
        return by_access(a, kFetchAccessFault, kLoadAccessFault, kStoreAccessFault);
    }
    uint64_t misaligned_cause(Access a) const override {
        return by_access(a, kFetchMisaligned, kLoadMisaligned, kStoreMisaligned);
    }
    unsigned fetch_mmu_index(const CpuHeader*) const override { return fetch_index; }
    unsigned data_mmu_index(const CpuHeader*) const override { return data_index; }

    std::vector<Call> calls;
    unsigned fetch_index = 3;
    unsigned data_index = 1;

private:
    struct Mapping {
        uint64_t vbase, pbase;
        uint8_t perms;
        unsigned page_bits;
        bool cacheable;
    };
    std::vector<Mapping> mappings_;
};

class RecordingDevice final : public devices::MmioDevice {
public:
    struct Op {
        bool write;
        uint64_t offset;
        unsigned size;
        uint64_t value;
        bool operator==(const Op&) const = default;
    };
    explicit RecordingDevice(unsigned sizes) : sizes_(sizes) {}
    std::string_view name() const override { return "recorder"; }
    unsigned access_sizes() const override { return sizes_; }
    uint64_t read(uint64_t offset, unsigned size) override {
        ops.push_back({false, offset, size, 0});
        return size >= 8 ? read_value : read_value & ((uint64_t(1) << 8 * size) - 1);
    }
    void write(uint64_t offset, unsigned size, uint64_t value) override { ops.push_back({true, offset, size, value}); }

    std::vector<Op> ops;
    uint64_t read_value = 0x8877665544332211;

private:
    unsigned sizes_;
};

inline std::ostream& operator<<(std::ostream& os, const RecordingDevice::Op& op) {
    return os << (op.write ? "write" : "read") << "(offset 0x" << std::hex << op.offset << ", size " << std::dec
              << op.size << ", 0x" << std::hex << op.value << std::dec << ")";
}

// Stands for the TB cache: records the pages and what memory held at `watch` when told, and
// (like the cache, once it has dropped the page's blocks) clears the code flag if asked to.
class RecordingObserver final : public CodeObserver {
public:
    explicit RecordingObserver(PhysicalMemory& memory) : memory_(memory) {}
    void code_written(uint64_t addr, uint64_t len) override {
        const uint64_t page_index = addr >> kGuestPageBits;
        REQUIRE(len > 0);
        REQUIRE((addr + len - 1) >> kGuestPageBits == page_index);  // split by page
        pages.push_back(page_index);
        uint64_t v = 0;
        memory_.read(watch, &v, 8);
        seen.push_back(v);
        if (clear) memory_.set_code_page(page_index, false);
    }
    std::vector<uint64_t> pages;
    std::vector<uint64_t> seen;
    uint64_t watch = 0;
    bool clear = true;

private:
    PhysicalMemory& memory_;
};

// Installed as env->mem_port in front of the SoftMmu: every call here is a miss of the inline
// fast path (tlb_load / tlb_store).
class CountingPort final : public MemoryPort {
public:
    explicit CountingPort(MemoryPort& inner) : inner_(inner) {}
    bool load_slow(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t* value) override {
        ++loads;
        return inner_.load_slow(env, addr, op, value);
    }
    bool store_slow(CpuHeader* env, uint64_t addr, ir::MemOp op, uint64_t value) override {
        ++stores;
        return inner_.store_slow(env, addr, op, value);
    }
    void* atomic_pointer(CpuHeader* env, uint64_t addr, unsigned size, Access access) override {
        return inner_.atomic_pointer(env, addr, size, access);
    }
    bool fetch(CpuHeader* env, uint64_t addr, void* out, unsigned size, uint64_t* fault_cause) override {
        return inner_.fetch(env, addr, out, size, fault_cause);
    }
    bool code_address(CpuHeader* env, uint64_t pc, uint64_t* paddr) override {
        return inner_.code_address(env, pc, paddr);
    }
    int loads = 0;
    int stores = 0;

private:
    MemoryPort& inner_;
};

struct Vcpu {
    Vcpu(PhysicalMemory& memory, AddressTranslator& translator) : mmu(memory, translator), port(mmu) {
        mmu.attach(env);
        env.mem_port = &port;
    }
    SoftMmu mmu;
    CountingPort port;
    CpuHeader env;
};

// Physical layout of the test machine.
inline constexpr uint64_t kRomBase = 0x1000, kRomSize = 0x2000;
inline constexpr uint64_t kMmioBase = 0x1000'0000, kMmioSize = 0x2000;
inline constexpr uint64_t kRamBase = 0x8000'0000, kRamSize = 0x40'0000;
inline constexpr uint64_t kUnassigned = 0x2000'0000;

struct TestMachine {
    TestMachine() {
        memory.add_rom("rom", kRomBase, kRomSize);
        memory.add_mmio("dev", kMmioBase, kMmioSize, device);
        memory.add_ram("ram", kRamBase, kRamSize);
    }
    RecordingDevice device{devices::kSize4 | devices::kSize8};
    PhysicalMemory memory;
    FakeTranslator translator;
    // After memory: its SoftMmu unregisters its TLB from memory when destroyed.
    std::unique_ptr<Vcpu> cpu = std::make_unique<Vcpu>(memory, translator);
    CpuHeader& env = cpu->env;

    uint64_t peek64(uint64_t paddr) const {
        uint64_t v = 0;
        REQUIRE(memory.read(paddr, &v, 8));
        return v;
    }
    void poke64(uint64_t paddr, uint64_t v) { REQUIRE(memory.write(paddr, &v, 8)); }
};

inline ir::MemOp op(ir::MemOp base, unsigned mmu_index) {
    base.mmu_index = uint8_t(mmu_index);
    return base;
}
inline ir::MemOp aligned(ir::MemOp base) {
    base.aligned = true;
    return base;
}

// A load through the inline fast path that must succeed.
inline uint64_t load_ok(CpuHeader& env, uint64_t addr, ir::MemOp op) {
    uint64_t v = 0;
    REQUIRE(tlb_load(&env, addr, op, &v));
    REQUIRE(env.exception_pending == 0);
    return v;
}
inline void store_ok(CpuHeader& env, uint64_t addr, ir::MemOp op, uint64_t value) {
    REQUIRE(tlb_store(&env, addr, op, value));
    REQUIRE(env.exception_pending == 0);
}

struct Exception {
    uint32_t pending;
    uint64_t cause, tval;
    bool operator==(const Exception&) const = default;
};
inline std::ostream& operator<<(std::ostream& os, const Exception& e) {
    return os << "{pending " << e.pending << ", cause " << e.cause << ", tval 0x" << std::hex << e.tval << std::dec
              << "}";
}
// The exception recorded in env; clears it so the next access starts clean.
inline Exception take_exception(CpuHeader& env) {
    Exception e{env.exception_pending, env.exception_cause, env.exception_tval};
    env.exception_pending = 0;
    env.exception_cause = env.exception_tval = 0;
    return e;
}

}  // namespace mimic::softmmu::test
