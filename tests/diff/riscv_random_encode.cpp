// Encoders for the random-instruction generator (see riscv_random_encode.h).
#include "riscv_random_encode.h"

#include <cstdio>

namespace mimic::riscv_random {

std::string xreg(int r) {
    return "x" + std::to_string(r);
}
std::string freg(int r) {
    return "f" + std::to_string(r);
}

std::string rm_name(int rm) {
    static const char* const kNames[] = {"rne", "rtz", "rdn", "rup", "rmm", "?", "?", "dyn"};
    return kNames[rm & 7];
}

std::string hex(uint64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

namespace {

uint32_t u(int v) {
    return static_cast<uint32_t>(v);
}

Insn make(const char* name, const char* ext, uint32_t bits, std::string operands) {
    Insn insn;
    insn.bits = bits;
    insn.size = 4;
    insn.name = name;
    insn.ext = ext;
    insn.text = std::string(name) + (operands.empty() ? "" : " " + operands);
    return insn;
}

uint32_t r_bits(uint32_t opcode, int f3, int f7, int rd, int rs1, int rs2) {
    return opcode | u(rd) << 7 | u(f3) << 12 | u(rs1) << 15 | u(rs2) << 20 | u(f7) << 25;
}

uint32_t i_bits(uint32_t opcode, int f3, int rd, int rs1, int32_t imm) {
    return opcode | u(rd) << 7 | u(f3) << 12 | u(rs1) << 15 | (static_cast<uint32_t>(imm) & 0xfff) << 20;
}

uint32_t s_bits(uint32_t opcode, int f3, int rs1, int rs2, int32_t imm) {
    uint32_t i = static_cast<uint32_t>(imm);
    return opcode | (i & 0x1f) << 7 | u(f3) << 12 | u(rs1) << 15 | u(rs2) << 20 | ((i >> 5) & 0x7f) << 25;
}

std::string reg(char kind, int r) {
    return kind == 'f' ? freg(r) : xreg(r);
}

}  // namespace

Insn enc_r(const char* name, const char* ext, uint32_t opcode, int f3, int f7, int rd, int rs1, int rs2) {
    return make(name, ext, r_bits(opcode, f3, f7, rd, rs1, rs2), xreg(rd) + ", " + xreg(rs1) + ", " + xreg(rs2));
}

Insn enc_i(const char* name, const char* ext, uint32_t opcode, int f3, int rd, int rs1, int32_t imm) {
    return make(name, ext, i_bits(opcode, f3, rd, rs1, imm), xreg(rd) + ", " + xreg(rs1) + ", " + std::to_string(imm));
}

Insn enc_shift(const char* name, const char* ext, uint32_t opcode, int f3, int hi, int rd, int rs1, int shamt) {
    return make(name, ext, i_bits(opcode, f3, rd, rs1, hi | shamt),
                xreg(rd) + ", " + xreg(rs1) + ", " + std::to_string(shamt));
}

Insn enc_unary(const char* name, const char* ext, uint32_t opcode, int f3, int imm, int rd, int rs1) {
    return make(name, ext, i_bits(opcode, f3, rd, rs1, imm), xreg(rd) + ", " + xreg(rs1));
}

Insn enc_load(const char* name, const char* ext, uint32_t opcode, int f3, int rd, int rs1, int32_t imm, bool fp_rd) {
    return make(name, ext, i_bits(opcode, f3, rd, rs1, imm),
                reg(fp_rd ? 'f' : 'x', rd) + ", " + std::to_string(imm) + "(" + xreg(rs1) + ")");
}

Insn enc_store(const char* name, const char* ext, uint32_t opcode, int f3, int rs2, int rs1, int32_t imm, bool fp_rs2) {
    return make(name, ext, s_bits(opcode, f3, rs1, rs2, imm),
                reg(fp_rs2 ? 'f' : 'x', rs2) + ", " + std::to_string(imm) + "(" + xreg(rs1) + ")");
}

Insn enc_u(const char* name, uint32_t opcode, int rd, uint32_t imm20) {
    return make(name, "RV64I", opcode | u(rd) << 7 | (imm20 & 0xfffff) << 12, xreg(rd) + ", " + hex(imm20 & 0xfffff));
}

Insn enc_branch(const char* name, int f3, int rs1, int rs2, int32_t offset) {
    uint32_t o = static_cast<uint32_t>(offset);
    uint32_t bits = 0x63 | ((o >> 11) & 1) << 7 | ((o >> 1) & 0xf) << 8 | u(f3) << 12 | u(rs1) << 15 | u(rs2) << 20 |
                    ((o >> 5) & 0x3f) << 25 | ((o >> 12) & 1) << 31;
    return make(name, "RV64I", bits, xreg(rs1) + ", " + xreg(rs2) + ", .+" + std::to_string(offset));
}

Insn enc_jal(int rd, int32_t offset) {
    uint32_t o = static_cast<uint32_t>(offset);
    uint32_t bits = 0x6f | u(rd) << 7 | ((o >> 12) & 0xff) << 12 | ((o >> 11) & 1) << 20 | ((o >> 1) & 0x3ff) << 21 |
                    ((o >> 20) & 1) << 31;
    return make("jal", "RV64I", bits, xreg(rd) + ", .+" + std::to_string(offset));
}

Insn enc_jalr(int rd, int rs1, int32_t imm) {
    return make("jalr", "RV64I", i_bits(0x67, 0, rd, rs1, imm),
                xreg(rd) + ", " + std::to_string(imm) + "(" + xreg(rs1) + ")");
}

Insn enc_amo(const char* base, int funct5, int f3, bool aq, bool rl, int rd, int rs1, int rs2) {
    std::string name = std::string(base) + (f3 == 2 ? ".w" : ".d");
    std::string full = name + (aq ? (rl ? ".aqrl" : ".aq") : (rl ? ".rl" : ""));
    uint32_t bits = r_bits(0x2f, f3, (funct5 << 2) | (aq ? 2 : 0) | (rl ? 1 : 0), rd, rs1, rs2);
    bool is_lr = funct5 == 0x02;
    Insn insn =
        make(full.c_str(), "A", bits,
             is_lr ? xreg(rd) + ", (" + xreg(rs1) + ")" : xreg(rd) + ", " + xreg(rs2) + ", (" + xreg(rs1) + ")");
    insn.name = name;
    return insn;
}

Insn enc_fp_r(const char* name, const char* ext, int f7, int f3, int rd, int rs1, int rs2, char rd_kind, char rs1_kind,
              bool has_rs2) {
    std::string ops = reg(rd_kind, rd) + ", " + reg(rs1_kind, rs1);
    if (has_rs2) ops += ", " + freg(rs2);
    return make(name, ext, r_bits(0x53, f3, f7, rd, rs1, rs2), ops);
}

Insn enc_fp_rm(const char* name, const char* ext, int f7, int rm, int rd, int rs1, int rs2_field, char rd_kind,
               char rs1_kind, bool has_rs2, bool rm_in_text) {
    std::string ops = reg(rd_kind, rd) + ", " + reg(rs1_kind, rs1);
    if (has_rs2) ops += ", " + freg(rs2_field);
    if (rm_in_text) ops += ", " + rm_name(rm);
    Insn insn = make(name, ext, r_bits(0x53, rm, f7, rd, rs1, rs2_field), ops);
    // GNU as 2.40 cannot express a rounding mode on exact conversions (fcvt.d.s, fcvt.d.w, ...).
    if (!rm_in_text) insn.check_mask = ~(7u << 12);
    return insn;
}

Insn enc_fp_r4(const char* name, const char* ext, uint32_t opcode, int fmt, int rm, int rd, int rs1, int rs2, int rs3) {
    uint32_t bits = opcode | u(rd) << 7 | u(rm) << 12 | u(rs1) << 15 | u(rs2) << 20 | u(fmt) << 25 | u(rs3) << 27;
    return make(name, ext, bits,
                freg(rd) + ", " + freg(rs1) + ", " + freg(rs2) + ", " + freg(rs3) + ", " + rm_name(rm));
}

Insn enc_csr(const char* name, int f3, int rd, int csr, int src, bool uses_imm) {
    static const char* const kCsrNames[] = {"0", "fflags", "frm", "fcsr"};
    std::string csr_text = csr <= 3 ? kCsrNames[csr] : hex(static_cast<uint32_t>(csr));
    return make(name, "Zicsr", i_bits(0x73, f3, rd, src, csr),
                xreg(rd) + ", " + csr_text + ", " + (uses_imm ? std::to_string(src) : xreg(src)));
}

Insn make_c(const char* name, uint16_t bits, std::string operands) {
    Insn insn = make(name, "C", bits, std::move(operands));
    insn.size = 2;
    return insn;
}

}  // namespace mimic::riscv_random
