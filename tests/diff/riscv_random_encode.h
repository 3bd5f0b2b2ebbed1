// Minimal RISC-V instruction encoder for the random-instruction generator: each helper returns the
// encoding together with GNU assembler text, so the encoder can be checked against the assembler.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace mimic::riscv_random {

struct Insn {
    uint32_t bits = 0;
    int size = 4;                      // 2 for compressed
    std::string text;                  // GNU as syntax
    std::string name;                  // mnemonic, for --stats
    std::string ext;                   // instruction class, for --stats
    uint32_t check_mask = 0xffffffff;  // bits the assembler cross-check compares
    // Forward control transfer: resolved once the block is laid out. `target` is a group index,
    // the offset is measured from the instruction `anchor_back` positions earlier in the group.
    int target = -1;
    int anchor_back = 0;
    std::function<Insn(int32_t offset)> relocate;
    int group = -1;  // index of the group in the laid-out block, for listings
};

std::string xreg(int r);
std::string freg(int r);
std::string rm_name(int rm);
std::string hex(uint64_t v);

// Base formats.
Insn enc_r(const char* name, const char* ext, uint32_t opcode, int f3, int f7, int rd, int rs1, int rs2);
Insn enc_i(const char* name, const char* ext, uint32_t opcode, int f3, int rd, int rs1, int32_t imm);
// Shift-immediate style: imm field = hi | shamt, text "name rd, rs1, shamt".
Insn enc_shift(const char* name, const char* ext, uint32_t opcode, int f3, int hi, int rd, int rs1, int shamt);
// Unary op encoded in the I format with a fixed imm field: text "name rd, rs1".
Insn enc_unary(const char* name, const char* ext, uint32_t opcode, int f3, int imm, int rd, int rs1);
Insn enc_load(const char* name, const char* ext, uint32_t opcode, int f3, int rd, int rs1, int32_t imm, bool fp_rd);
Insn enc_store(const char* name, const char* ext, uint32_t opcode, int f3, int rs2, int rs1, int32_t imm, bool fp_rs2);
Insn enc_u(const char* name, uint32_t opcode, int rd, uint32_t imm20);
Insn enc_branch(const char* name, int f3, int rs1, int rs2, int32_t offset);
Insn enc_jal(int rd, int32_t offset);
Insn enc_jalr(int rd, int rs1, int32_t imm);

// Atomics: funct5, width f3 (2 = .w, 3 = .d), aq/rl.
Insn enc_amo(const char* base, int funct5, int f3, bool aq, bool rl, int rd, int rs1, int rs2);

// Floating point. kinds of register per operand: 'f' or 'x'.
Insn enc_fp_r(const char* name, const char* ext, int f7, int f3, int rd, int rs1, int rs2, char rd_kind, char rs1_kind,
              bool has_rs2);
Insn enc_fp_rm(const char* name, const char* ext, int f7, int rm, int rd, int rs1, int rs2_field, char rd_kind,
               char rs1_kind, bool has_rs2, bool rm_in_text);
Insn enc_fp_r4(const char* name, const char* ext, uint32_t opcode, int fmt, int rm, int rd, int rs1, int rs2, int rs3);

// Zicsr: uses_imm selects the csrr?i forms; src is rs1 or uimm.
Insn enc_csr(const char* name, int f3, int rd, int csr, int src, bool uses_imm);

Insn make_c(const char* name, uint16_t bits, std::string operands);

}  // namespace mimic::riscv_random
