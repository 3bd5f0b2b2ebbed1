// Runs RISC-V instructions through the whole pipeline (frontend, passes, a backend, engine) in a
// small user-mode address space: encodings in, CPU state out. MIMIC_TEST_TIER picks the tier.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "backends/baseline/baseline.h"
#include "backends/interp/interp.h"
#include "backends/llvm/llvm_backend.h"
#include "engine/engine.h"
#include "frontends/riscv/cpu.h"
#include "frontends/riscv/frontend.h"
#include "user/address_space.h"

namespace mimic::test {

// The tiers of mimic-riscv64 -tier (and the system binary's -accel tier=), plus tiered without
// waiting for compiles (see settle()).
enum class Tier { kInterp, kBaseline, kLlvm, kTiered, kTieredAsync };

// MIMIC_TEST_TIER=interp (the default) | baseline | llvm | tiered | tiered-async. CTest runs the
// frontend tests under each of the first four (unit., unit_baseline., unit_llvm., unit_tiered.).
inline Tier test_tier() {
    const char* env = std::getenv("MIMIC_TEST_TIER");
    const std::string name = env && *env ? env : "interp";
    if (name == "interp") return Tier::kInterp;
    if (name == "baseline") return Tier::kBaseline;
    if (name == "llvm") return Tier::kLlvm;
    if (name == "tiered") return Tier::kTiered;
    if (name == "tiered-async") return Tier::kTieredAsync;
    throw std::invalid_argument("MIMIC_TEST_TIER=" + name +
                                ": expected interp, baseline, llvm, tiered or tiered-async");
}

class RiscvMachine {
public:
    static constexpr uint64_t kCode = 0x10000;
    static constexpr uint64_t kData = 0x20000;  // 64 KiB of read/write scratch memory
    static constexpr uint32_t kEbreak = 0x00100073;
    // Tiered: a block moves from the interpreter to the baseline tier after its first run and is
    // queued for LLVM on its second, so the code of any loop gets to every tier.
    static constexpr uint64_t kWarmUpThreshold = 1;
    static constexpr uint64_t kTierUpThreshold = 2;

    explicit RiscvMachine(uint32_t max_insns = 256, bool chaining = true, Tier tier = test_tier(),
                          uint64_t warm_up_threshold = kWarmUpThreshold, uint64_t tier_up_threshold = kTierUpThreshold)
        : tier_(tier),
          baseline_(MemoryModel::kFlat, tiered() ? tier_up_threshold : 0),
          llvm_(tier == Tier::kInterp || tier == Tier::kBaseline
                    ? nullptr
                    : std::make_unique<jit::LlvmBackend>(MemoryModel::kFlat, nullptr)),
          memory_(30),
          engine_(frontend_, first_tier(), memory_,
                  engine_options(max_insns, chaining, warm_up_threshold, tier_up_threshold,
                                 tiered() ? &baseline_ : nullptr, tiered() ? llvm_.get() : nullptr)) {
        memory_.map_anonymous(kCode, 0x10000, user::kProtRead | user::kProtExec);
        memory_.map_anonymous(kData, 0x10000, user::kProtRead | user::kProtWrite);
        memory_.attach(cpu.header);
    }

    // Places the instructions (32-bit words; a 16-bit one is given as its halfword with
    // `compressed`) followed by ebreak, and runs from the first until the ebreak.
    void run(std::initializer_list<uint32_t> insns) {
        std::vector<uint8_t> bytes;
        for (uint32_t w : insns) append(bytes, w, (w & 3) == 3 ? 4 : 2);
        append(bytes, kEbreak, 4);
        run_bytes(bytes);
    }
    void run_bytes(const std::vector<uint8_t>& bytes) {
        memory_.poke(kCode, bytes.data(), bytes.size());
        cpu.header.pc = kCode;
        resume();
    }
    // Continues after an exit (e.g. a syscall or a fault the test inspected). A yield (a block
    // ended after a CSR write) goes on, as the run loops do.
    void resume() {
        do {
            exit = engine_.run(&cpu.header, vcpu_);
        } while (exit.kind == BlockExit::Kind::kExit && exit.reason == ir::ExitReason::kYield);
        settle();
    }
    // Runs another vCPU (its own state) on this machine's memory and engine.
    BlockExit run_vcpu(riscv::CpuState& other, VcpuEngineState& state, uint64_t pc) {
        memory_.attach(other.header);
        other.header.pc = pc;
        const BlockExit e = engine_.run(&other.header, state);
        settle();
        return e;
    }

    bool stopped_at_ebreak() const {
        return exit.kind == BlockExit::Kind::kException && cpu.header.exception_pending == 1 &&
               cpu.header.exception_cause == riscv::kBreakpoint;
    }

    uint64_t load64(uint64_t addr) {
        uint64_t v = 0;
        memory_.read(addr, &v, 8);
        return v;
    }
    void store64(uint64_t addr, uint64_t v) { memory_.write(addr, &v, 8); }

    riscv::CpuState cpu;
    BlockExit exit{};
    user::AddressSpace& memory() { return memory_; }
    Engine& engine() { return engine_; }

private:
    static EngineOptions engine_options(uint32_t max_insns, bool chaining, uint64_t warm_up_threshold,
                                        uint64_t tier_up_threshold, Backend* warm_up, Backend* tier_up) {
        EngineOptions o{max_insns, chaining, nullptr};
        o.warm_up = warm_up;
        o.warm_up_threshold = warm_up_threshold;
        o.tier_up = tier_up;
        o.tier_up_threshold = tier_up_threshold;
        o.verify_ir = true;
        return o;
    }
    // Tiered: the blocks that got hot during a run are compiled before the next one, so a test that
    // runs or resumes again meets LLVM code whatever the host's timing. tiered-async leaves the
    // compiles racing the guest, as in real use.
    void settle() {
        if (tier_ == Tier::kTiered) engine_.drain_tier_up();
    }

    bool tiered() const { return tier_ == Tier::kTiered || tier_ == Tier::kTieredAsync; }
    Backend& first_tier() {
        if (tier_ == Tier::kLlvm) return *llvm_;
        if (tier_ == Tier::kBaseline) return baseline_;
        return interp_;  // also tiered's first tier
    }

    static void append(std::vector<uint8_t>& out, uint32_t w, unsigned n) {
        for (unsigned i = 0; i < n; ++i) out.push_back(uint8_t(w >> (8 * i)));
    }

    Tier tier_;
    riscv::RiscvFrontend frontend_;
    interp::InterpreterBackend interp_;
    baseline::BaselineBackend baseline_;      // baseline, and tiered's middle tier (counting runs for the tier-up)
    std::unique_ptr<jit::LlvmBackend> llvm_;  // llvm and tiered; outlives the engine's compiled blocks
    user::AddressSpace memory_;
    Engine engine_;
    VcpuEngineState vcpu_;
};

// Runs one instruction that computes x3 from x1 = a and x2 = b, and returns x3.
inline uint64_t run_binop(uint32_t insn, uint64_t a, uint64_t b) {
    RiscvMachine m;
    m.cpu.x[1] = a;
    m.cpu.x[2] = b;
    m.run({insn});
    if (!m.stopped_at_ebreak()) throw std::runtime_error("instruction did not run to the ebreak");
    return m.cpu.x[3];
}

}  // namespace mimic::test
