// Declares every RISC-V helper (from helpers.inc) and its HelperInfo for Call.
#pragma once

#include <cstdint>

#include "engine/cpu_header.h"
#include "ir/helper.h"

namespace mimic::riscv {

// Flags shorthands for helpers.inc.
inline constexpr uint32_t kNoGlobals = ir::kHelperNoReadGlobals | ir::kHelperNoWriteGlobals;
inline constexpr uint32_t kPureHelper = kNoGlobals | ir::kHelperPure;
inline constexpr uint32_t kMayRaise = ir::kHelperMayRaise;
// Touches no guest register but fflags and frm (the F/D helpers).
inline constexpr uint32_t kFpStatus = ir::kHelperListedGlobals;

#define MIMIC_HELPER(name, flags, result, ...)                                                  \
    uint64_t helper_##name(CpuHeader* env, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3); \
    extern const ir::HelperInfo kHelper_##name;
#include "frontends/riscv/helpers.inc"
#undef MIMIC_HELPER

}  // namespace mimic::riscv
