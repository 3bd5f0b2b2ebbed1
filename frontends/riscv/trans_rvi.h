// RV64I base integer instructions.
#pragma once

#include "frontends/riscv/extension.h"

namespace mimic::riscv {

class RvI : public ExtensionTranslator {
public:
    using ExtensionTranslator::ExtensionTranslator;
    using Table = decoder::Table<RvI, uint32_t>;
    static const Table& table();

    bool LUI(uint32_t imm, uint32_t rd);
    bool AUIPC(uint32_t imm, uint32_t rd);
    bool JAL(uint32_t imm, uint32_t rd);
    bool JALR(uint32_t imm, uint32_t rs1, uint32_t rd);
    bool BEQ(uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo) { return branch(ir::Cond::kEq, hi, rs2, rs1, lo); }
    bool BNE(uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo) { return branch(ir::Cond::kNe, hi, rs2, rs1, lo); }
    bool BLT(uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo) { return branch(ir::Cond::kLtS, hi, rs2, rs1, lo); }
    bool BGE(uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo) { return branch(ir::Cond::kGeS, hi, rs2, rs1, lo); }
    bool BLTU(uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo) { return branch(ir::Cond::kLtU, hi, rs2, rs1, lo); }
    bool BGEU(uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo) { return branch(ir::Cond::kGeU, hi, rs2, rs1, lo); }
    bool LB(uint32_t imm, uint32_t rs1, uint32_t rd) { return load(ir::MemOp::s8(), imm, rs1, rd); }
    bool LH(uint32_t imm, uint32_t rs1, uint32_t rd) { return load(ir::MemOp::s16(), imm, rs1, rd); }
    bool LW(uint32_t imm, uint32_t rs1, uint32_t rd) { return load(ir::MemOp::s32(), imm, rs1, rd); }
    bool LD(uint32_t imm, uint32_t rs1, uint32_t rd) { return load(ir::MemOp::u64(), imm, rs1, rd); }
    bool LBU(uint32_t imm, uint32_t rs1, uint32_t rd) { return load(ir::MemOp::u8(), imm, rs1, rd); }
    bool LHU(uint32_t imm, uint32_t rs1, uint32_t rd) { return load(ir::MemOp::u16(), imm, rs1, rd); }
    bool LWU(uint32_t imm, uint32_t rs1, uint32_t rd) { return load(ir::MemOp::u32(), imm, rs1, rd); }
    bool SB(uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo) { return store(ir::MemOp::u8(), hi, rs2, rs1, lo); }
    bool SH(uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo) { return store(ir::MemOp::u16(), hi, rs2, rs1, lo); }
    bool SW(uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo) { return store(ir::MemOp::u32(), hi, rs2, rs1, lo); }
    bool SD(uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo) { return store(ir::MemOp::u64(), hi, rs2, rs1, lo); }
    bool ADDI(uint32_t imm, uint32_t rs1, uint32_t rd);
    bool SLTI(uint32_t imm, uint32_t rs1, uint32_t rd);
    bool SLTIU(uint32_t imm, uint32_t rs1, uint32_t rd);
    bool XORI(uint32_t imm, uint32_t rs1, uint32_t rd);
    bool ORI(uint32_t imm, uint32_t rs1, uint32_t rd);
    bool ANDI(uint32_t imm, uint32_t rs1, uint32_t rd);
    bool SLLI(uint32_t shamt, uint32_t rs1, uint32_t rd);
    bool SRLI(uint32_t shamt, uint32_t rs1, uint32_t rd);
    bool SRAI(uint32_t shamt, uint32_t rs1, uint32_t rd);
    bool ADD(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool SUB(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool SLL(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool SLT(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool SLTU(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool XOR(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool SRL(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool SRA(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool OR(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool AND(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool ADDIW(uint32_t imm, uint32_t rs1, uint32_t rd);
    bool SLLIW(uint32_t shamt, uint32_t rs1, uint32_t rd);
    bool SRLIW(uint32_t shamt, uint32_t rs1, uint32_t rd);
    bool SRAIW(uint32_t shamt, uint32_t rs1, uint32_t rd);
    bool ADDW(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool SUBW(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool SLLW(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool SRLW(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool SRAW(uint32_t rs2, uint32_t rs1, uint32_t rd);
    bool FENCE();
    bool ECALL();
    bool EBREAK();

private:
    bool branch(ir::Cond cond, uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo);
    bool load(ir::MemOp op, uint32_t imm, uint32_t rs1, uint32_t rd);
    bool store(ir::MemOp op, uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo);
    Value address(uint32_t rs1, int64_t offset);
};

}  // namespace mimic::riscv
