// M extension: integer multiply and divide.
#pragma once

#include "frontends/riscv/extension.h"

namespace mimic::riscv {

class RvM : public ExtensionTranslator {
public:
    using ExtensionTranslator::ExtensionTranslator;
    using Table = decoder::Table<RvM, uint32_t>;
    static const Table& table();

    bool MUL(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool MULH(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool MULHSU(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool MULHU(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool DIV(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool DIVU(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool REM(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool REMU(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool MULW(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool DIVW(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool DIVUW(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool REMW(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool REMUW(uint32_t rs2, uint32_t rs1, uint32_t rd);
};

}  // namespace mimic::riscv
