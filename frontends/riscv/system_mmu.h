// RISC-V address translation as the soft-MMU sees it: the Sv39/Sv48 walk and PMP, per MMU index
// (tb_flags.h), with page-table memory in the machine's physical address space.
#pragma once

#include "frontends/riscv/cpu.h"
#include "frontends/riscv/priv_mmu.h"
#include "frontends/riscv/tb_flags.h"
#include "softmmu/soft_mmu.h"

namespace mimic::riscv {

class SystemAddressTranslator final : public softmmu::AddressTranslator, private PtwMemory {
public:
    explicit SystemAddressTranslator(softmmu::PhysicalMemory& memory) : memory_(memory) {}

    Result translate(CpuHeader* env, uint64_t vaddr, mimic::Access access, unsigned mmu_index) override;
    uint64_t access_fault_cause(mimic::Access access) const override;
    uint64_t misaligned_cause(mimic::Access access) const override;
    unsigned fetch_mmu_index(const CpuHeader* env) const override;
    unsigned data_mmu_index(const CpuHeader* env) const override;

private:
    // PtwMemory: PTEs in RAM.
    bool load64(uint64_t paddr, uint64_t& value) override;
    Cas cas64(uint64_t paddr, uint64_t expected, uint64_t desired) override;

    softmmu::PhysicalMemory& memory_;
};

// The MMU index of data accesses at the CPU's current mode (MPRV, SUM).
MmuIndex data_mmu_index(const CpuState& cpu);
// The TB flags of system mode for the CPU's current mode.
uint32_t system_tb_flags(const CpuState& cpu);

}  // namespace mimic::riscv
