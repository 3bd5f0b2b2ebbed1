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
};

using GlobalTable = std::span<const GlobalInfo>;

}  // namespace mimic::ir
