// C extension: expansion of the 16-bit encodings (table in isa_c.inc) to 32-bit instructions.
// HINT encodings expand to the instruction they are a form of (rd = x0, or rd unchanged), which
// executes as a no-op; reserved encodings expand to nothing and raise illegal instruction.
#include "frontends/riscv/rvc.h"

#include "frontends/common/decoder.h"

namespace mimic::riscv {
namespace {

// Major opcodes of the 32-bit instructions the compressed ones stand for.
enum Opcode : uint32_t {
    kOpLoad = 0x03,
    kOpLoadFp = 0x07,
    kOpImm = 0x13,
    kOpImm32 = 0x1b,
    kOpStore = 0x23,
    kOpStoreFp = 0x27,
    kOpReg = 0x33,
    kOpLui = 0x37,
    kOpReg32 = 0x3b,
    kOpBranch = 0x63,
    kOpJalr = 0x67,
    kOpJal = 0x6f,
};

constexpr uint32_t kSp = 2;
constexpr uint32_t kRa = 1;

constexpr uint32_t encode_r(uint32_t funct7, uint32_t rs2, uint32_t rs1, uint32_t funct3, uint32_t rd, uint32_t op) {
    return funct7 << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | op;
}
constexpr uint32_t encode_i(int32_t imm, uint32_t rs1, uint32_t funct3, uint32_t rd, uint32_t op) {
    return (uint32_t(imm) & 0xfff) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | op;
}
constexpr uint32_t encode_s(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t funct3, uint32_t op) {
    const uint32_t u = uint32_t(imm);
    return (u >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | (u & 0x1f) << 7 | op;
}
constexpr uint32_t encode_b(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t funct3, uint32_t op) {
    const uint32_t u = uint32_t(imm);
    return (u >> 12 & 1) << 31 | (u >> 5 & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | (u >> 1 & 0xf) << 8 |
           (u >> 11 & 1) << 7 | op;
}
// imm is the full value; its low 12 bits are zero.
constexpr uint32_t encode_u(int32_t imm, uint32_t rd, uint32_t op) {
    return (uint32_t(imm) & 0xfffff000) | rd << 7 | op;
}
constexpr uint32_t encode_j(int32_t imm, uint32_t rd, uint32_t op) {
    const uint32_t u = uint32_t(imm);
    return (u >> 20 & 1) << 31 | (u >> 1 & 0x3ff) << 21 | (u >> 11 & 1) << 20 | (u >> 12 & 0xff) << 12 | rd << 7 | op;
}

// The immediate whose bits a field holds in the order the spec writes them, most significant field
// bit first: CIW's "nzuimm[5:4|9:6|2|3]" is unscramble(field, {5, 4, 9, 8, 7, 6, 2, 3}).
template <size_t N>
constexpr uint32_t unscramble(uint32_t field, const int (&positions)[N]) {
    uint32_t imm = 0;
    for (size_t i = 0; i < N; ++i) imm |= (field >> (N - 1 - i) & 1) << positions[i];
    return imm;
}

constexpr int32_t sext(uint32_t v, unsigned bits) {
    return int32_t(v << (32 - bits)) >> (32 - bits);
}

// The registers x8-x15 (or f8-f15) that a three-bit field names.
constexpr uint32_t reg3(uint32_t r) {
    return r + 8;
}

// Decode-table visitor: each handler stores the 32-bit form in `out` and returns true, or returns
// false for a reserved encoding.
class Expander {
public:
    using Table = decoder::Table<Expander, uint16_t>;
    static const Table& table();

    uint32_t out = 0;

    // Quadrant 0.
    bool C_ADDI4SPN(uint32_t imm, uint32_t rd) {
        const uint32_t nzuimm = unscramble(imm, {5, 4, 9, 8, 7, 6, 2, 3});
        return nzuimm != 0 && emit(encode_i(int32_t(nzuimm), kSp, 0, reg3(rd), kOpImm));
    }
    bool C_FLD(uint32_t hi, uint32_t rs1, uint32_t lo, uint32_t rd) {
        return emit(encode_i(offset_d(hi, lo), reg3(rs1), 3, reg3(rd), kOpLoadFp));
    }
    bool C_LW(uint32_t hi, uint32_t rs1, uint32_t lo, uint32_t rd) {
        return emit(encode_i(offset_w(hi, lo), reg3(rs1), 2, reg3(rd), kOpLoad));
    }
    bool C_LD(uint32_t hi, uint32_t rs1, uint32_t lo, uint32_t rd) {
        return emit(encode_i(offset_d(hi, lo), reg3(rs1), 3, reg3(rd), kOpLoad));
    }
    bool C_FSD(uint32_t hi, uint32_t rs1, uint32_t lo, uint32_t rs2) {
        return emit(encode_s(offset_d(hi, lo), reg3(rs2), reg3(rs1), 3, kOpStoreFp));
    }
    bool C_SW(uint32_t hi, uint32_t rs1, uint32_t lo, uint32_t rs2) {
        return emit(encode_s(offset_w(hi, lo), reg3(rs2), reg3(rs1), 2, kOpStore));
    }
    bool C_SD(uint32_t hi, uint32_t rs1, uint32_t lo, uint32_t rs2) {
        return emit(encode_s(offset_d(hi, lo), reg3(rs2), reg3(rs1), 3, kOpStore));
    }

    // Quadrant 1.
    bool C_ADDI(uint32_t hi, uint32_t rd, uint32_t lo) { return emit(encode_i(imm6(hi, lo), rd, 0, rd, kOpImm)); }
    bool C_ADDIW(uint32_t hi, uint32_t rd, uint32_t lo) {
        return rd != 0 && emit(encode_i(imm6(hi, lo), rd, 0, rd, kOpImm32));
    }
    bool C_LI(uint32_t hi, uint32_t rd, uint32_t lo) { return emit(encode_i(imm6(hi, lo), 0, 0, rd, kOpImm)); }
    bool C_ADDI16SP(uint32_t hi, uint32_t lo) {
        const int32_t nzimm = sext(unscramble(hi << 5 | lo, {9, 4, 6, 8, 7, 5}), 10);
        return nzimm != 0 && emit(encode_i(nzimm, kSp, 0, kSp, kOpImm));
    }
    bool C_LUI(uint32_t hi, uint32_t rd, uint32_t lo) {
        const int32_t nzimm = imm6(hi, lo);
        return nzimm != 0 && emit(encode_u(nzimm * 4096, rd, kOpLui));
    }
    bool C_SRLI(uint32_t hi, uint32_t rd, uint32_t lo) {
        return emit(encode_i(int32_t(hi << 5 | lo), reg3(rd), 5, reg3(rd), kOpImm));
    }
    bool C_SRAI(uint32_t hi, uint32_t rd, uint32_t lo) {
        return emit(encode_i(int32_t(0x400 | hi << 5 | lo), reg3(rd), 5, reg3(rd), kOpImm));
    }
    bool C_ANDI(uint32_t hi, uint32_t rd, uint32_t lo) {
        return emit(encode_i(imm6(hi, lo), reg3(rd), 7, reg3(rd), kOpImm));
    }
    bool C_SUB(uint32_t rd, uint32_t rs2) { return reg_op(0x20, 0, kOpReg, rd, rs2); }
    bool C_XOR(uint32_t rd, uint32_t rs2) { return reg_op(0, 4, kOpReg, rd, rs2); }
    bool C_OR(uint32_t rd, uint32_t rs2) { return reg_op(0, 6, kOpReg, rd, rs2); }
    bool C_AND(uint32_t rd, uint32_t rs2) { return reg_op(0, 7, kOpReg, rd, rs2); }
    bool C_SUBW(uint32_t rd, uint32_t rs2) { return reg_op(0x20, 0, kOpReg32, rd, rs2); }
    bool C_ADDW(uint32_t rd, uint32_t rs2) { return reg_op(0, 0, kOpReg32, rd, rs2); }
    bool C_J(uint32_t imm) {
        return emit(encode_j(sext(unscramble(imm, {11, 4, 9, 8, 10, 6, 7, 3, 2, 1, 5}), 12), 0, kOpJal));
    }
    bool C_BEQZ(uint32_t hi, uint32_t rs1, uint32_t lo) {
        return emit(encode_b(offset_b(hi, lo), 0, reg3(rs1), 0, kOpBranch));
    }
    bool C_BNEZ(uint32_t hi, uint32_t rs1, uint32_t lo) {
        return emit(encode_b(offset_b(hi, lo), 0, reg3(rs1), 1, kOpBranch));
    }

    // Quadrant 2.
    bool C_SLLI(uint32_t hi, uint32_t rd, uint32_t lo) {
        return emit(encode_i(int32_t(hi << 5 | lo), rd, 1, rd, kOpImm));
    }
    bool C_FLDSP(uint32_t hi, uint32_t rd, uint32_t lo) {
        return emit(encode_i(int32_t(unscramble(hi << 5 | lo, {5, 4, 3, 8, 7, 6})), kSp, 3, rd, kOpLoadFp));
    }
    bool C_LWSP(uint32_t hi, uint32_t rd, uint32_t lo) {
        return rd != 0 && emit(encode_i(int32_t(unscramble(hi << 5 | lo, {5, 4, 3, 2, 7, 6})), kSp, 2, rd, kOpLoad));
    }
    bool C_LDSP(uint32_t hi, uint32_t rd, uint32_t lo) {
        return rd != 0 && emit(encode_i(int32_t(unscramble(hi << 5 | lo, {5, 4, 3, 8, 7, 6})), kSp, 3, rd, kOpLoad));
    }
    bool C_JR(uint32_t rs1) { return rs1 != 0 && emit(encode_i(0, rs1, 0, 0, kOpJalr)); }
    bool C_MV(uint32_t rd, uint32_t rs2) { return emit(encode_r(0, rs2, 0, 0, rd, kOpReg)); }
    bool C_EBREAK() { return emit(0x00100073); }
    bool C_JALR(uint32_t rs1) { return emit(encode_i(0, rs1, 0, kRa, kOpJalr)); }
    bool C_ADD(uint32_t rd, uint32_t rs2) { return emit(encode_r(0, rs2, rd, 0, rd, kOpReg)); }
    bool C_FSDSP(uint32_t imm, uint32_t rs2) {
        return emit(encode_s(int32_t(unscramble(imm, {5, 4, 3, 8, 7, 6})), rs2, kSp, 3, kOpStoreFp));
    }
    bool C_SWSP(uint32_t imm, uint32_t rs2) {
        return emit(encode_s(int32_t(unscramble(imm, {5, 4, 3, 2, 7, 6})), rs2, kSp, 2, kOpStore));
    }
    bool C_SDSP(uint32_t imm, uint32_t rs2) {
        return emit(encode_s(int32_t(unscramble(imm, {5, 4, 3, 8, 7, 6})), rs2, kSp, 3, kOpStore));
    }

private:
    bool emit(uint32_t insn) {
        out = insn;
        return true;
    }
    // CI's sign-extended imm[5] and imm[4:0].
    static int32_t imm6(uint32_t hi, uint32_t lo) { return sext(hi << 5 | lo, 6); }
    // CL/CS offsets: uimm[5:3] and uimm[2|6] (words) or uimm[7:6] (doublewords).
    static int32_t offset_w(uint32_t hi, uint32_t lo) { return int32_t(unscramble(hi << 2 | lo, {5, 4, 3, 2, 6})); }
    static int32_t offset_d(uint32_t hi, uint32_t lo) { return int32_t(unscramble(hi << 2 | lo, {5, 4, 3, 7, 6})); }
    // CB branch offset: offset[8|4:3] and offset[7:6|2:1|5].
    static int32_t offset_b(uint32_t hi, uint32_t lo) {
        return sext(unscramble(hi << 5 | lo, {8, 4, 3, 7, 6, 2, 1, 5}), 9);
    }
    // CA: rd' = rd' op rs2'.
    bool reg_op(uint32_t funct7, uint32_t funct3, uint32_t op, uint32_t rd, uint32_t rs2) {
        return emit(encode_r(funct7, reg3(rs2), reg3(rd), funct3, reg3(rd), op));
    }
};

// Bits every compressed pattern fixes: funct3 and the quadrant.
constexpr uint16_t kBucketMask16 = 0xe003;

const Expander::Table& Expander::table() {
    static const Table kTable(
        {
#define INST(handler, mnemonic, bits) ::mimic::decoder::make_matcher<uint16_t, bits, &Expander::handler>(mnemonic),
#include "frontends/riscv/isa_c.inc"
#undef INST
        },
        kBucketMask16);
    return kTable;
}

}  // namespace

std::optional<uint32_t> expand_compressed(uint16_t insn) {
    const auto* m = Expander::table().decode(insn);
    if (!m) return std::nullopt;
    Expander e;
    if (!m->call(e, insn)) return std::nullopt;
    return e.out;
}

}  // namespace mimic::riscv
