// RISC-V (RV64) CPU state as generated code sees it, its IR globals, and the exception causes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/cpu_header.h"
#include "frontends/riscv/priv_state.h"
#include "ir/global.h"

namespace mimic::riscv {

struct CpuState {
    CpuHeader header;  // must stay first: env points here
    uint64_t x[32] = {};
    uint64_t f[32] = {};                       // raw bits; single-precision values are NaN-boxed
    uint64_t fflags = 0;                       // accrued exceptions, fcsr[4:0]
    uint64_t frm = 0;                          // dynamic rounding mode, fcsr[7:5]
    uint64_t reservation_addr = ~uint64_t(0);  // LR/SC: address reserved, or all ones
    uint64_t reservation_value = 0;            // value LR saw (SC succeeds by compare-and-swap on it)
    uint64_t instret = 0;                      // retired instructions (approximate in user mode)
    PrivState priv;                            // privileged architecture (system mode only)
};

// Index of each guest register in the global table.
inline constexpr uint32_t kGlobalX0 = 0;
inline constexpr uint32_t kGlobalF0 = 32;
inline constexpr uint32_t kGlobalFflags = 64;
inline constexpr uint32_t kGlobalFrm = 65;
inline constexpr uint32_t kGlobalReservationAddr = 66;
inline constexpr uint32_t kGlobalReservationValue = 67;
inline constexpr uint32_t kGlobalCount = 68;

ir::GlobalTable globals();

// Architectural exception causes (mcause values with the interrupt bit clear).
enum Cause : uint64_t {
    kInstructionMisaligned = 0,
    kInstructionAccessFault = 1,
    kIllegalInstruction = 2,
    kBreakpoint = 3,
    kLoadMisaligned = 4,
    kLoadAccessFault = 5,
    kStoreMisaligned = 6,
    kStoreAccessFault = 7,
    kEcallFromU = 8,
    kEcallFromS = 9,
    kEcallFromM = 11,
    kInstructionPageFault = 12,
    kLoadPageFault = 13,
    kStorePageFault = 15,
};

inline CpuState* state(CpuHeader* env) {
    return reinterpret_cast<CpuState*>(env);
}

// ABI names of the integer and FP registers, for logs and disassembly.
extern const char* const kXNames[32];
extern const char* const kFNames[32];

}  // namespace mimic::riscv
