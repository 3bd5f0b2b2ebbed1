// The host's SSE floating-point state (x86-64 MXCSR) as the tiers that compute IEEE helpers on the
// host (ir::IeeeOp) use it.
#pragma once

#include <array>
#include <cstdint>

#include "ir/helper.h"

namespace mimic {

// Every exception masked, round to nearest even, no flush to zero or denormals-are-zero, no flags.
inline constexpr uint32_t kMxcsrClear = 0x1f80;
inline constexpr uint32_t kMxcsrFlags = 0x3f;

// MXCSR's sticky flags (bits 0-5: IE, DE, ZE, OE, UE, PE) as kIeee* bits. DE, a denormal operand,
// is no IEEE exception.
inline constexpr std::array<uint8_t, 64> kMxcsrToIeee = [] {
    std::array<uint8_t, 64> table{};
    for (uint32_t m = 0; m < table.size(); ++m)
        table[m] = uint8_t((m & 1 ? ir::kIeeeInvalid : 0) | (m & 4 ? ir::kIeeeDivByZero : 0) |
                           (m & 8 ? ir::kIeeeOverflow : 0) | (m & 16 ? ir::kIeeeUnderflow : 0) |
                           (m & 32 ? ir::kIeeeInexact : 0));
    return table;
}();

}  // namespace mimic
