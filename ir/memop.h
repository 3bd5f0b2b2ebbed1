// MemOp: how a Load or Store touches guest memory (size, sign, endianness, alignment, MMU index).
#pragma once

#include <cstdint>
#include <string>

namespace mimic::ir {

struct MemOp {
    uint8_t log2_size = 0;  // 0..3: 1, 2, 4, 8 bytes
    bool sign = false;      // loads: sign-extend to the result type
    bool big_endian = false;
    bool aligned = false;  // misaligned access raises instead of being split
    uint8_t mmu_index = 0;

    constexpr unsigned size() const { return 1u << log2_size; }
    constexpr uint64_t encode() const {
        return uint64_t(log2_size) | uint64_t(sign) << 2 | uint64_t(big_endian) << 3 | uint64_t(aligned) << 4 |
               uint64_t(mmu_index) << 8;
    }
    static constexpr MemOp decode(uint64_t v) {
        return MemOp{uint8_t(v & 3), bool(v >> 2 & 1), bool(v >> 3 & 1), bool(v >> 4 & 1), uint8_t(v >> 8)};
    }
    std::string to_string() const;

    static constexpr MemOp u8() { return {0}; }
    static constexpr MemOp s8() { return {0, true}; }
    static constexpr MemOp u16() { return {1}; }
    static constexpr MemOp s16() { return {1, true}; }
    static constexpr MemOp u32() { return {2}; }
    static constexpr MemOp s32() { return {2, true}; }
    static constexpr MemOp u64() { return {3}; }
};

}  // namespace mimic::ir
