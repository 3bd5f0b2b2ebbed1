// Out-of-line helpers callable from IR (Call). Each frontend declares its helpers once in a .inc
// table; the flags tell the optimizer and the backends what a call may touch.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "ir/types.h"

namespace mimic {
struct CpuHeader;
}

namespace mimic::ir {

// Every helper has the same host signature: env first, then up to four integer arguments.
using HelperFn = uint64_t (*)(CpuHeader* env, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);

enum HelperFlags : uint32_t {
    kHelperNoReadGlobals = 1 << 0,   // does not read guest registers through env
    kHelperNoWriteGlobals = 1 << 1,  // does not write guest registers through env
    kHelperMayRaise = 1 << 2,        // may raise a guest exception (sets env->exception)
    kHelperPure = 1 << 3,            // no side effects at all: removable when its result is unused
    kHelperEndsBlock = 1 << 4,       // changes state that translation depends on: the block must end
    kHelperListedGlobals = 1 << 5,   // reads and writes no guest register but those in HelperInfo::globals
};

struct HelperInfo {
    std::string_view name;
    HelperFn fn;
    uint32_t flags;
    Type result;
    uint8_t arg_count;
    std::array<Type, 4> args;
    // With kHelperListedGlobals: the only guest registers it may read or write (say, the FP status
    // an FP helper accrues into), so a backend keeps every other register in host registers.
    uint8_t global_count = 0;
    std::array<uint32_t, 2> globals{};

    bool may_read_global(uint32_t g) const { return !(flags & kHelperNoReadGlobals) && listed(g); }
    bool may_write_global(uint32_t g) const { return !(flags & kHelperNoWriteGlobals) && listed(g); }

private:
    bool listed(uint32_t g) const {  // true for every register unless the helper lists its own
        if (!(flags & kHelperListedGlobals)) return true;
        for (unsigned i = 0; i < global_count; ++i)
            if (globals[i] == g) return true;
        return false;
    }
};

}  // namespace mimic::ir
