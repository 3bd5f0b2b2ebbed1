// A vCPU for hand-built IR in the LLVM tier's tests: the common header and one 64-bit guest
// register, r0.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "engine/cpu_header.h"
#include "ir/global.h"

namespace mimic::test {

struct OneRegisterEnv {
    CpuHeader header;
    uint64_t r[1] = {};
};

inline const std::array<ir::GlobalInfo, 1> kOneRegister = {{{"r0", offsetof(OneRegisterEnv, r), ir::Type::kI64}}};

}  // namespace mimic::test
