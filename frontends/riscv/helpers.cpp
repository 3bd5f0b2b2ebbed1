// HelperInfo records for every helper in helpers.inc.
#include "frontends/riscv/helpers.h"

#include "frontends/riscv/cpu.h"

namespace mimic::riscv {
namespace {
using ir::Type;
constexpr Type Void = Type::kVoid, I32 = Type::kI32, I64 = Type::kI64;

using Ieee = ir::IeeeOp::Kind;
struct IeeeHelper {
    std::string_view name;
    Ieee kind;
    uint8_t width;
    const ir::HelperInfo* without_flags = nullptr;
    bool accrues = true;
};
// The helpers that are one IEEE operation (ir::IeeeOp), accruing into fflags but for the
// comparisons' twins without flags.
constexpr IeeeHelper kIeeeHelpers[] = {
    {"fadd_s_rne", Ieee::kAdd, 32},
    {"fsub_s_rne", Ieee::kSub, 32},
    {"fmul_s_rne", Ieee::kMul, 32},
    {"fdiv_s_rne", Ieee::kDiv, 32},
    {"fsqrt_s_rne", Ieee::kSqrt, 32},
    {"feq_s", Ieee::kEq, 32, &kHelper_feq_s_no_flags},
    {"feq_s_no_flags", Ieee::kEq, 32, nullptr, false},
    {"flt_s", Ieee::kLt, 32, &kHelper_flt_s_no_flags},
    {"flt_s_no_flags", Ieee::kLt, 32, nullptr, false},
    {"fle_s", Ieee::kLe, 32, &kHelper_fle_s_no_flags},
    {"fle_s_no_flags", Ieee::kLe, 32, nullptr, false},
    {"fadd_d_rne", Ieee::kAdd, 64},
    {"fsub_d_rne", Ieee::kSub, 64},
    {"fmul_d_rne", Ieee::kMul, 64},
    {"fdiv_d_rne", Ieee::kDiv, 64},
    {"fsqrt_d_rne", Ieee::kSqrt, 64},
    {"feq_d", Ieee::kEq, 64, &kHelper_feq_d_no_flags},
    {"feq_d_no_flags", Ieee::kEq, 64, nullptr, false},
    {"flt_d", Ieee::kLt, 64, &kHelper_flt_d_no_flags},
    {"flt_d_no_flags", Ieee::kLt, 64, nullptr, false},
    {"fle_d", Ieee::kLe, 64, &kHelper_fle_d_no_flags},
    {"fle_d_no_flags", Ieee::kLe, 64, nullptr, false},
    {"fmadd_s_rne", Ieee::kMulAdd, 32},
    {"fmsub_s_rne", Ieee::kMulSub, 32},
    {"fnmsub_s_rne", Ieee::kNegMulSub, 32},
    {"fnmadd_s_rne", Ieee::kNegMulAdd, 32},
    {"fmadd_d_rne", Ieee::kMulAdd, 64},
    {"fmsub_d_rne", Ieee::kMulSub, 64},
    {"fnmsub_d_rne", Ieee::kNegMulSub, 64},
    {"fnmadd_d_rne", Ieee::kNegMulAdd, 64},
};

template <typename... T>
constexpr ir::HelperInfo info(std::string_view name, ir::HelperFn fn, uint32_t flags, Type result, T... args) {
    static_assert(sizeof...(T) <= 4, "helpers take at most four arguments besides env");
    ir::HelperInfo h{name, fn, flags, result, uint8_t(sizeof...(T)), {args...}};
    if (flags & kFpStatus) {
        h.global_count = 2;
        h.globals = {kGlobalFflags, kGlobalFrm};
    }
    for (const IeeeHelper& ieee : kIeeeHelpers)
        if (ieee.name == name) {
            h.ieee = {ieee.kind, ieee.width, kGlobalFflags, ieee.accrues};
            h.without_flags = ieee.without_flags;
        }
    return h;
}
}  // namespace

#define MIMIC_HELPER(name, flags, result, ...) \
    const ir::HelperInfo kHelper_##name = info(#name, helper_##name, flags, result __VA_OPT__(, ) __VA_ARGS__);
#include "frontends/riscv/helpers.inc"
#undef MIMIC_HELPER

}  // namespace mimic::riscv
