// Guest registers as the IR sees them: env-backed globals declared by each frontend.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "ir/types.h"

namespace mimic::ir {

struct GlobalInfo {
    std::string_view name;
    uint32_t env_offset;  // byte offset from the env pointer (the arch's CPU state struct)
    Type type;
    // The bits the register can hold: every writer (translated code, helpers, the runtime) keeps
    // the others clear, so masking them off changes nothing (RISC-V's fflags: 5 bits).
    uint64_t valid_bits = ~uint64_t(0);
};

using GlobalTable = std::span<const GlobalInfo>;

}  // namespace mimic::ir
