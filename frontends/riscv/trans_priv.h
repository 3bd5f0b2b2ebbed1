// The privileged instructions of system mode: mret, sret, wfi, sfence.vma. (ecall, ebreak and the
// CSR instructions are in the I and Zicsr translators, which know both modes.)
#pragma once

#include "frontends/riscv/extension.h"

namespace mimic::riscv {

class Privileged : public ExtensionTranslator {
public:
    using ExtensionTranslator::ExtensionTranslator;
    using Table = decoder::Table<Privileged, uint32_t>;
    static const Table& table();

    bool MRET();
    bool SRET();
    bool WFI();
    bool SFENCE_VMA(uint32_t rs2, uint32_t rs1);
};

}  // namespace mimic::riscv
