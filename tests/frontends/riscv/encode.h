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
constexpr uint32_t u_type(uint32_t imm20, uint32_t rd, uint32_t op) { return imm20 << 12 | rd << 7 | op; }
constexpr uint32_t j_type(int32_t imm, uint32_t rd) {
    const uint32_t u = uint32_t(imm);
    return (u >> 20 & 1) << 31 | (u >> 1 & 0x3ff) << 21 | (u >> 11 & 1) << 20 | (u >> 12 & 0xff) << 12 | rd << 7 | 0x6f;
}

constexpr uint32_t add(uint32_t rd, uint32_t a, uint32_t b) { return r_type(0, b, a, 0, rd, 0x33); }
constexpr uint32_t addi(uint32_t rd, uint32_t a, int32_t imm) { return i_type(imm, a, 0, rd, 0x13); }
constexpr uint32_t op(uint32_t f7, uint32_t f3, uint32_t rd, uint32_t a, uint32_t b) { return r_type(f7, b, a, f3, rd, 0x33); }
constexpr uint32_t op32(uint32_t f7, uint32_t f3, uint32_t rd, uint32_t a, uint32_t b) { return r_type(f7, b, a, f3, rd, 0x3b); }
constexpr uint32_t opimm(uint32_t f3, uint32_t rd, uint32_t a, int32_t imm) { return i_type(imm, a, f3, rd, 0x13); }
constexpr uint32_t load(uint32_t f3, uint32_t rd, uint32_t base, int32_t off) { return i_type(off, base, f3, rd, 0x03); }
constexpr uint32_t store(uint32_t f3, uint32_t src, uint32_t base, int32_t off) { return s_type(off, src, base, f3, 0x23); }
constexpr uint32_t csr(uint32_t f3, uint32_t rd, uint32_t csr_num, uint32_t rs1) { return csr_num << 20 | rs1 << 15 | f3 << 12 | rd << 7 | 0x73; }

}  // namespace mimic::test::rv
