// Reassembling RISC-V immediates from the instruction fields the decoder hands to the handlers.
#pragma once

#include <cstdint>

namespace mimic::riscv {

// B-type: hi7 = imm[12|10:5], lo5 = imm[4:1|11].
constexpr int64_t imm_b(uint32_t hi7, uint32_t lo5) {
    const uint32_t imm = (hi7 >> 6) << 12 | (hi7 & 0x3f) << 5 | (lo5 >> 1) << 1 | (lo5 & 1) << 11;
    return int64_t(uint64_t(imm) << 51) >> 51;
}
// J-type: the 20 bits [31:12] hold imm[20|10:1|11|19:12].
constexpr int64_t imm_j(uint32_t raw20) {
    const uint32_t imm =
        (raw20 >> 19) << 20 | ((raw20 >> 9) & 0x3ff) << 1 | ((raw20 >> 8) & 1) << 11 | (raw20 & 0xff) << 12;
    return int64_t(uint64_t(imm) << 43) >> 43;
}
// I-type: 12 bits.
constexpr int64_t imm_i(uint32_t raw12) {
    return int64_t(uint64_t(raw12) << 52) >> 52;
}
// S-type: hi7 = imm[11:5], lo5 = imm[4:0].
constexpr int64_t imm_s(uint32_t hi7, uint32_t lo5) {
    return imm_i(hi7 << 5 | lo5);
}
// U-type: 20 bits placed at [31:12], sign-extended to 64.
constexpr int64_t imm_u(uint32_t raw20) {
    return int64_t(int32_t(raw20 << 12));
}

}  // namespace mimic::riscv
