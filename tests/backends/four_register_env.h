// A vCPU for hand-built IR in the tiers' tests: the common header and four 64-bit guest
// registers, r0-r3.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "engine/cpu_header.h"
#include "ir/global.h"

namespace mimic::test {

struct FourRegisterEnv {
    CpuHeader header;
    uint64_t r[4] = {};
};

inline const std::array<ir::GlobalInfo, 4> kFourRegisters = {{
    {"r0", offsetof(FourRegisterEnv, r) + 0, ir::Type::kI64},
    {"r1", offsetof(FourRegisterEnv, r) + 8, ir::Type::kI64},
    {"r2", offsetof(FourRegisterEnv, r) + 16, ir::Type::kI64},
    {"r3", offsetof(FourRegisterEnv, r) + 24, ir::Type::kI64},
}};

}  // namespace mimic::test
