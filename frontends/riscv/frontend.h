// The RISC-V frontend: RV64GC + Zba/Zbb/Zbs translated into Mimic IR.
#pragma once

#include <span>
#include <string>

#include "engine/frontend.h"
#include "frontends/riscv/extension.h"

namespace mimic::riscv {

// `system`: the CPU has its privileged architecture (system mode); otherwise it is a user-mode
// process whose ecall is a system call of the emulated kernel.
class RiscvFrontend final : public Frontend {
public:
    explicit RiscvFrontend(bool system = false) : system_(system) {}
    ir::GlobalTable globals() const override;
    uint32_t tb_flags(const CpuHeader* env) const override;
    void translate(CpuHeader* env, MemoryPort& mem, uint64_t pc, uint32_t flags, const TranslateOptions& opts,
                   ir::Block& out) const override;
    std::string disassemble(CpuHeader* env, MemoryPort& mem, uint64_t pc, uint64_t size) const override;
    std::string dump_state(const CpuHeader* env) const override;

private:
    bool system_;
};

// The extensions in decode order.
std::span<const Extension> extensions();

// Text of one instruction (32-bit form; `raw16` set for a compressed one), as in `-d in_asm`.
std::string disassemble_one(uint32_t insn, uint64_t pc);

// The 32-bit form of the instruction whose first halfword is `lo` (and second `hi` if needed):
// expands compressed instructions. Nothing for an illegal compressed encoding.
std::optional<uint32_t> to_32bit_form(uint32_t raw, unsigned length);

}  // namespace mimic::riscv
