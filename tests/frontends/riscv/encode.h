// Minimal RISC-V instruction encoders for tests (independent of the decoder under test).
#pragma once

#include <cstdint>

namespace mimic::test::rv {

constexpr uint32_t r_type(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op) {
    return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
constexpr uint32_t i_type(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op) {
    return uint32_t(imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
constexpr uint32_t s_type(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t op) {
    return uint32_t(imm >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | uint32_t(imm & 0x1f) << 7 | op;
}
constexpr uint32_t b_type(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3) {
    const uint32_t u = uint32_t(imm);
    return (u >> 12 & 1) << 31 | (u >> 5 & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u >> 1 & 0xf) << 8 |
           (u >> 11 & 1) << 7 | 0x63;
}
constexpr uint32_t u_type(uint32_t imm20, uint32_t rd, uint32_t op) {
    return imm20 << 12 | rd << 7 | op;
}
constexpr uint32_t j_type(int32_t imm, uint32_t rd) {
    const uint32_t u = uint32_t(imm);
    return (u >> 20 & 1) << 31 | (u >> 1 & 0x3ff) << 21 | (u >> 11 & 1) << 20 | (u >> 12 & 0xff) << 12 | rd << 7 | 0x6f;
}

constexpr uint32_t add(uint32_t rd, uint32_t a, uint32_t b) {
    return r_type(0, b, a, 0, rd, 0x33);
}
constexpr uint32_t addi(uint32_t rd, uint32_t a, int32_t imm) {
    return i_type(imm, a, 0, rd, 0x13);
}
constexpr uint32_t op(uint32_t f7, uint32_t f3, uint32_t rd, uint32_t a, uint32_t b) {
    return r_type(f7, b, a, f3, rd, 0x33);
}
constexpr uint32_t op32(uint32_t f7, uint32_t f3, uint32_t rd, uint32_t a, uint32_t b) {
    return r_type(f7, b, a, f3, rd, 0x3b);
}
constexpr uint32_t opimm(uint32_t f3, uint32_t rd, uint32_t a, int32_t imm) {
    return i_type(imm, a, f3, rd, 0x13);
}
constexpr uint32_t load(uint32_t f3, uint32_t rd, uint32_t base, int32_t off) {
    return i_type(off, base, f3, rd, 0x03);
}
constexpr uint32_t store(uint32_t f3, uint32_t src, uint32_t base, int32_t off) {
    return s_type(off, src, base, f3, 0x23);
}
constexpr uint32_t csr(uint32_t f3, uint32_t rd, uint32_t csr_num, uint32_t rs1) {
    return csr_num << 20 | rs1 << 15 | f3 << 12 | rd << 7 | 0x73;
}

// A extension: funct5, the aq/rl ordering bits, and the width (2 = .w, 3 = .d).
constexpr uint32_t amo(uint32_t f5, uint32_t f3, uint32_t rd, uint32_t addr, uint32_t src, bool aq = false,
                       bool rl = false) {
    return r_type(f5 << 2 | uint32_t(aq) << 1 | uint32_t(rl), src, addr, f3, rd, 0x2f);
}

// F/D: OP-FP with its funct7 and rounding mode (or funct3), and the R4 fused multiply-adds
// (op 0x43 fmadd, 0x47 fmsub, 0x4b fnmsub, 0x4f fnmadd; fmt 0 = .s, 1 = .d).
constexpr uint32_t fp(uint32_t f7, uint32_t rm, uint32_t rd, uint32_t a, uint32_t b) {
    return r_type(f7, b, a, rm, rd, 0x53);
}
constexpr uint32_t r4(uint32_t op, uint32_t fmt, uint32_t rm, uint32_t rd, uint32_t a, uint32_t b, uint32_t c) {
    return c << 27 | fmt << 25 | b << 20 | a << 15 | rm << 12 | rd << 7 | op;
}

// C extension halfwords. Registers are full numbers; the three-bit fields take x8-x15 only.
constexpr uint32_t bit(uint32_t v, unsigned from, unsigned to) {
    return (v >> from & 1) << to;
}
constexpr uint32_t c_ci(uint32_t f3, uint32_t rd, int32_t imm, uint32_t op) {
    const uint32_t u = uint32_t(imm);
    return f3 << 13 | bit(u, 5, 12) | rd << 7 | (u & 0x1f) << 2 | op;
}
constexpr uint32_t c_addi(uint32_t rd, int32_t imm) {
    return c_ci(0, rd, imm, 1);
}
constexpr uint32_t c_addiw(uint32_t rd, int32_t imm) {
    return c_ci(1, rd, imm, 1);
}
constexpr uint32_t c_li(uint32_t rd, int32_t imm) {
    return c_ci(2, rd, imm, 1);
}
constexpr uint32_t c_lui(uint32_t rd, int32_t imm17_12) {
    return c_ci(3, rd, imm17_12, 1);
}
constexpr uint32_t c_slli(uint32_t rd, uint32_t shamt) {
    return c_ci(0, rd, int32_t(shamt), 2);
}
constexpr uint32_t c_addi16sp(int32_t imm) {
    const uint32_t u = uint32_t(imm);
    return 0x6101 | bit(u, 9, 12) | bit(u, 4, 6) | bit(u, 6, 5) | bit(u, 8, 4) | bit(u, 7, 3) | bit(u, 5, 2);
}
constexpr uint32_t c_addi4spn(uint32_t rd, uint32_t imm) {
    return (imm >> 4 & 3) << 11 | (imm >> 6 & 15) << 7 | bit(imm, 2, 6) | bit(imm, 3, 5) | (rd - 8) << 2;
}
constexpr uint32_t c_mem_w(uint32_t f3, uint32_t r, uint32_t base, uint32_t off) {
    return f3 << 13 | (off >> 3 & 7) << 10 | (base - 8) << 7 | bit(off, 2, 6) | bit(off, 6, 5) | (r - 8) << 2;
}
constexpr uint32_t c_mem_d(uint32_t f3, uint32_t r, uint32_t base, uint32_t off) {
    return f3 << 13 | (off >> 3 & 7) << 10 | (base - 8) << 7 | (off >> 6 & 3) << 5 | (r - 8) << 2;
}
constexpr uint32_t c_lw(uint32_t rd, uint32_t base, uint32_t off) {
    return c_mem_w(2, rd, base, off);
}
constexpr uint32_t c_sw(uint32_t src, uint32_t base, uint32_t off) {
    return c_mem_w(6, src, base, off);
}
constexpr uint32_t c_ld(uint32_t rd, uint32_t base, uint32_t off) {
    return c_mem_d(3, rd, base, off);
}
constexpr uint32_t c_sd(uint32_t src, uint32_t base, uint32_t off) {
    return c_mem_d(7, src, base, off);
}
constexpr uint32_t c_ldsp(uint32_t rd, uint32_t off) {
    return 0x6002 | bit(off, 5, 12) | rd << 7 | (off >> 3 & 3) << 5 | (off >> 6 & 7) << 2;
}
constexpr uint32_t c_sdsp(uint32_t src, uint32_t off) {
    return 0xe002 | (off >> 3 & 7) << 10 | (off >> 6 & 7) << 7 | src << 2;
}
constexpr uint32_t c_j(int32_t off) {
    const uint32_t u = uint32_t(off);
    return 0xa001 | bit(u, 11, 12) | bit(u, 4, 11) | (u >> 8 & 3) << 9 | bit(u, 10, 8) | bit(u, 6, 7) | bit(u, 7, 6) |
           (u >> 1 & 7) << 3 | bit(u, 5, 2);
}
constexpr uint32_t c_branch(uint32_t f3, uint32_t rs1, int32_t off) {
    const uint32_t u = uint32_t(off);
    return f3 << 13 | bit(u, 8, 12) | (u >> 3 & 3) << 10 | (rs1 - 8) << 7 | (u >> 6 & 3) << 5 | (u >> 1 & 3) << 3 |
           bit(u, 5, 2) | 1;
}
constexpr uint32_t c_beqz(uint32_t rs1, int32_t off) {
    return c_branch(6, rs1, off);
}
constexpr uint32_t c_bnez(uint32_t rs1, int32_t off) {
    return c_branch(7, rs1, off);
}
constexpr uint32_t c_jr(uint32_t rs1) {
    return 0x8002 | rs1 << 7;
}
constexpr uint32_t c_jalr(uint32_t rs1) {
    return 0x9002 | rs1 << 7;
}
constexpr uint32_t c_mv(uint32_t rd, uint32_t rs2) {
    return 0x8002 | rd << 7 | rs2 << 2;
}
constexpr uint32_t c_add(uint32_t rd, uint32_t rs2) {
    return 0x9002 | rd << 7 | rs2 << 2;
}

}  // namespace mimic::test::rv
