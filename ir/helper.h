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

// IEEE 754 exception flags as an IeeeOp helper accrues them (RISC-V's fflags order).
inline constexpr uint32_t kIeeeInexact = 1;
inline constexpr uint32_t kIeeeUnderflow = 2;
inline constexpr uint32_t kIeeeOverflow = 4;
inline constexpr uint32_t kIeeeDivByZero = 8;
inline constexpr uint32_t kIeeeInvalid = 16;

// A helper that computes one IEEE 754 operation exactly as the standard defines it, rounding to
// nearest even with tininess detected after rounding: every NaN result is the default NaN
// (positive, quiet, zero payload), and the exceptions raised are ORed into the flags global (an
// i64, kIeee* bits), which is all it changes. Its arguments are the operands' raw bits, a binary32
// value in the low half of an i64 that must be NaN-boxed (upper half all ones; unboxed, it reads
// as the default NaN); a binary32 result comes back boxed, a comparison's as 1 or 0. A backend may
// compute it with the host's floating point instead of calling it (the LLVM and baseline tiers do).
struct IeeeOp {
    // kMulAdd and the others with it: (a * b) + c, a * b - c, -(a * b) + c, -(a * b) - c, each
    // rounded once.
    enum class Kind : uint8_t {
        kNone,
        kAdd,
        kSub,
        kMul,
        kDiv,
        kSqrt,
        kEq,
        kLt,
        kLe,
        kMulAdd,
        kMulSub,
        kNegMulSub,
        kNegMulAdd
    };
    Kind kind = Kind::kNone;
    uint8_t width = 0;  // 32 or 64
    uint32_t flags_global = 0;
    // False for a comparison's twin that raises nothing (HelperInfo::without_flags): it only
    // computes the result, and a backend computing it on the host must leave the host's flags
    // unchanged too.
    bool accrues = true;

    bool unary() const { return kind == Kind::kSqrt; }
    bool comparison() const { return kind == Kind::kEq || kind == Kind::kLt || kind == Kind::kLe; }
    bool fused() const { return kind >= Kind::kMulAdd; }
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
    IeeeOp ieee{};  // kind kNone unless the helper is one IEEE operation
    // The same operation without its IEEE exceptions, touching no global: what a call becomes where
    // the flags it would raise are overwritten before anything can see them (GCC's quiet
    // comparison: frflags, flt, fsflags). Comparisons only, whose result does not depend on flags.
    const HelperInfo* without_flags = nullptr;

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
