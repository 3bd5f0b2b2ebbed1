// RV64I: translation of the base integer instructions.
#include "frontends/riscv/trans_rvi.h"

#include "frontends/riscv/immediates.h"

namespace mimic::riscv {

using ir::Builder;
using ir::Cond;

const RvI::Table& RvI::table() {
    static const Table kTable(
        {
#define INST(handler, mnemonic, syntax, bits) MIMIC_RISCV_TABLE_ENTRY(RvI, handler, mnemonic, syntax, bits)
#include "frontends/riscv/isa_i.inc"
#undef INST
        },
        kBucketMask32);
    return kTable;
}

Value RvI::address(uint32_t rs1, int64_t offset) {
    return b.add(c.x(rs1), Builder::i64(uint64_t(offset)));
}

bool RvI::LUI(uint32_t imm, uint32_t rd) {
    c.set_x(rd, Builder::i64(uint64_t(imm_u(imm))));
    return true;
}

bool RvI::AUIPC(uint32_t imm, uint32_t rd) {
    c.set_x(rd, Builder::i64(c.pc + uint64_t(imm_u(imm))));
    return true;
}

bool RvI::JAL(uint32_t imm, uint32_t rd) {
    c.set_x(rd, Builder::i64(c.next_pc()));
    c.goto_pc(c.pc + uint64_t(imm_j(imm)));
    return true;
}

bool RvI::JALR(uint32_t imm, uint32_t rs1, uint32_t rd) {
    // The target is computed before rd is written: rd may be rs1.
    const Value target = b.and_(address(rs1, imm_i(imm)), Builder::i64(~uint64_t(1)));
    c.set_x(rd, Builder::i64(c.next_pc()));
    c.jump_indirect(target);
    return true;
}

bool RvI::branch(Cond cond, uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo) {
    c.branch(cond, c.x(rs1), c.x(rs2), c.pc + uint64_t(imm_b(hi, lo)));
    return true;
}

bool RvI::load(ir::MemOp op, uint32_t imm, uint32_t rs1, uint32_t rd) {
    const Value v = b.load(ir::Type::kI64, c.mem(op), address(rs1, imm_i(imm)));
    c.set_x(rd, v);
    return true;
}

bool RvI::store(ir::MemOp op, uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo) {
    b.store(c.mem(op), address(rs1, imm_s(hi, lo)), c.x(rs2));
    return true;
}

#define IMM_OP(NAME, expr)                                    \
    bool RvI::NAME(uint32_t imm, uint32_t rs1, uint32_t rd) { \
        const Value a = c.x(rs1);                             \
        const Value i = Builder::i64(uint64_t(imm_i(imm)));   \
        c.set_x(rd, expr);                                    \
        return true;                                          \
    }
IMM_OP(ADDI, b.add(a, i))
IMM_OP(SLTI, b.cmp(Cond::kLtS, a, i))
IMM_OP(SLTIU, b.cmp(Cond::kLtU, a, i))
IMM_OP(XORI, b.xor_(a, i))
IMM_OP(ORI, b.or_(a, i))
IMM_OP(ANDI, b.and_(a, i))
#undef IMM_OP

#define SHIFT_IMM_OP(NAME, method)                              \
    bool RvI::NAME(uint32_t shamt, uint32_t rs1, uint32_t rd) { \
        c.set_x(rd, b.method(c.x(rs1), Builder::i64(shamt)));   \
        return true;                                            \
    }
SHIFT_IMM_OP(SLLI, shl)
SHIFT_IMM_OP(SRLI, shr_u)
SHIFT_IMM_OP(SRAI, shr_s)
#undef SHIFT_IMM_OP

#define REG_OP(NAME, expr)                                    \
    bool RvI::NAME(uint32_t rs2, uint32_t rs1, uint32_t rd) { \
        const Value a = c.x(rs1);                             \
        const Value d = c.x(rs2);                             \
        c.set_x(rd, expr);                                    \
        return true;                                          \
    }
REG_OP(ADD, b.add(a, d))
REG_OP(SUB, b.sub(a, d))
REG_OP(SLL, b.shl(a, d))
REG_OP(SLT, b.cmp(Cond::kLtS, a, d))
REG_OP(SLTU, b.cmp(Cond::kLtU, a, d))
REG_OP(XOR, b.xor_(a, d))
REG_OP(SRL, b.shr_u(a, d))
REG_OP(SRA, b.shr_s(a, d))
REG_OP(OR, b.or_(a, d))
REG_OP(AND, b.and_(a, d))
#undef REG_OP

// The W forms compute on the low 32 bits and sign-extend the result. Where the low 32 bits of the
// 64-bit operation are the same (add, sub, left shift by a constant), the 64-bit op plus one
// sign extension is cheaper than narrowing both operands.
bool RvI::ADDIW(uint32_t imm, uint32_t rs1, uint32_t rd) {
    c.set_x(rd, b.sign_extend(b.add(c.x(rs1), Builder::i64(uint64_t(imm_i(imm)))), 32));
    return true;
}

bool RvI::SLLIW(uint32_t shamt, uint32_t rs1, uint32_t rd) {
    c.set_x(rd, b.sign_extend(b.shl(c.x(rs1), Builder::i64(shamt)), 32));
    return true;
}

#define SHIFT_IMM_W(NAME, method)                                      \
    bool RvI::NAME(uint32_t shamt, uint32_t rs1, uint32_t rd) {        \
        c.set_x_sext32(rd, b.method(c.x32(rs1), Builder::i32(shamt))); \
        return true;                                                   \
    }
SHIFT_IMM_W(SRLIW, shr_u)
SHIFT_IMM_W(SRAIW, shr_s)
#undef SHIFT_IMM_W

#define REG_W(NAME, method)                                   \
    bool RvI::NAME(uint32_t rs2, uint32_t rs1, uint32_t rd) { \
        c.set_x_sext32(rd, b.method(c.x32(rs1), c.x32(rs2))); \
        return true;                                          \
    }
bool RvI::ADDW(uint32_t rs2, uint32_t rs1, uint32_t rd) {
    c.set_x(rd, b.sign_extend(b.add(c.x(rs1), c.x(rs2)), 32));
    return true;
}

bool RvI::SUBW(uint32_t rs2, uint32_t rs1, uint32_t rd) {
    c.set_x(rd, b.sign_extend(b.sub(c.x(rs1), c.x(rs2)), 32));
    return true;
}

REG_W(SLLW, shl)
REG_W(SRLW, shr_u)
REG_W(SRAW, shr_s)
#undef REG_W

bool RvI::FENCE() {
    // The host (x86-64, TSO) reorders only stores with later loads; a full barrier covers every
    // predecessor/successor set.
    c.call(kHelper_fence, {});
    return true;
}

bool RvI::ECALL() {
    if (!c.system()) {
        c.exit(ir::ExitReason::kSyscall, c.next_pc());  // user mode: the emulated kernel's system call
        return true;
    }
    static constexpr Cause kByPriv[4] = {kEcallFromU, kEcallFromS, kIllegalInstruction, kEcallFromM};
    c.raise(kByPriv[c.priv()], 0);
    return true;
}

bool RvI::EBREAK() {
    // mtval may be the pc or zero: system mode gives zero, as QEMU does; user mode's SIGTRAP
    // reports the pc.
    c.raise(kBreakpoint, c.system() ? 0 : c.pc);
    return true;
}

}  // namespace mimic::riscv
