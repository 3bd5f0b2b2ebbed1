// RISC-V globals table and register names.
#include "frontends/riscv/cpu.h"

#include <array>

namespace mimic::riscv {

static_assert(offsetof(CpuState, header) == 0, "env must point at the common header");

const char* const kXNames[32] = {"zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
                                 "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
                                 "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
const char* const kFNames[32] = {"ft0", "ft1", "ft2", "ft3", "ft4",  "ft5",  "ft6", "ft7", "fs0",  "fs1", "fa0",
                                 "fa1", "fa2", "fa3", "fa4", "fa5",  "fa6",  "fa7", "fs2", "fs3",  "fs4", "fs5",
                                 "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};

namespace {

constexpr std::array<ir::GlobalInfo, kGlobalCount> make_globals() {
    std::array<ir::GlobalInfo, kGlobalCount> g{};
    for (uint32_t i = 0; i < 32; ++i) {
        g[kGlobalX0 + i] = {"", uint32_t(offsetof(CpuState, x) + 8 * i), ir::Type::kI64};
        g[kGlobalF0 + i] = {"", uint32_t(offsetof(CpuState, f) + 8 * i), ir::Type::kI64};
    }
    g[kGlobalFflags] = {"fflags", offsetof(CpuState, fflags), ir::Type::kI64, 0x1f};
    g[kGlobalFrm] = {"frm", offsetof(CpuState, frm), ir::Type::kI64, 0x7};
    g[kGlobalReservationAddr] = {"res_addr", offsetof(CpuState, reservation_addr), ir::Type::kI64};
    g[kGlobalReservationValue] = {"res_value", offsetof(CpuState, reservation_value), ir::Type::kI64};
    return g;
}

std::array<ir::GlobalInfo, kGlobalCount> with_names() {
    auto g = make_globals();
    for (uint32_t i = 0; i < 32; ++i) {
        g[kGlobalX0 + i].name = kXNames[i];
        g[kGlobalF0 + i].name = kFNames[i];
    }
    return g;
}

const std::array<ir::GlobalInfo, kGlobalCount> kGlobals = with_names();

}  // namespace

ir::GlobalTable globals() {
    return kGlobals;
}

}  // namespace mimic::riscv
