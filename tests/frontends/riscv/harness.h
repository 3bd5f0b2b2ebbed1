// Runs RISC-V instructions through the whole pipeline (frontend, passes, a backend, engine) in a
// small user-mode address space: encodings in, CPU state out.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <vector>

#include "backends/interp/interp.h"
#include "engine/engine.h"
#include "frontends/riscv/cpu.h"
#include "frontends/riscv/frontend.h"
#include "user/address_space.h"

namespace mimic::test {

class RiscvMachine {
public:
    static constexpr uint64_t kCode = 0x10000;
    static constexpr uint64_t kData = 0x20000;  // 64 KiB of read/write scratch memory
    static constexpr uint32_t kEbreak = 0x00100073;

    explicit RiscvMachine(uint32_t max_insns = 256, bool chaining = true)
        : memory_(30), engine_(frontend_, backend_, memory_, EngineOptions{max_insns, chaining, nullptr}) {
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
        exit = engine_.run(&cpu.header, vcpu_);
    }
    // Continues after an exit (e.g. a syscall or a fault the test inspected).
    void resume() { exit = engine_.run(&cpu.header, vcpu_); }
    // Runs another vCPU (its own state) on this machine's memory and engine.
    BlockExit run_vcpu(riscv::CpuState& other, VcpuEngineState& state, uint64_t pc) {
        memory_.attach(other.header);
        other.header.pc = pc;
        return engine_.run(&other.header, state);
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
    static void append(std::vector<uint8_t>& out, uint32_t w, unsigned n) {
        for (unsigned i = 0; i < n; ++i) out.push_back(uint8_t(w >> (8 * i)));
    }

    riscv::RiscvFrontend frontend_;
    interp::InterpreterBackend backend_;
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
