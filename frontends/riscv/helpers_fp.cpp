// F and D helpers: the soft-float operations on raw f-register bits, under the instruction's rounding
// mode, with the IEEE exceptions they raise accrued into fflags. Most operations try the host FPU
// first (hardfloat.h), which declines wherever its result or flags could differ.
#include <optional>
#include <utility>

#include "frontends/riscv/cpu.h"
#include "frontends/riscv/hardfloat.h"
#include "frontends/riscv/helpers.h"
#include "frontends/riscv/softfloat.h"

namespace mimic::riscv {
namespace {

namespace sf = softfloat;
namespace hf = hardfloat;

// How each precision sits in a 64-bit f register, and the host type that computes it.
struct Single {
    using Host = float;
    // An operand that is not NaN-boxed is the canonical NaN.
    static uint32_t get(uint64_t reg) { return reg >> 32 == 0xffff'ffff ? uint32_t(reg) : sf::kF32CanonicalNan; }
    static uint64_t put(uint32_t v) { return 0xffff'ffff'0000'0000 | v; }
};
struct Double {
    using Host = double;
    static uint64_t get(uint64_t reg) { return reg; }
    static uint64_t put(uint64_t v) { return v; }
};

// Integer results as x registers hold them: 32-bit ones sign-extended, unsigned ones too.
uint64_t to_x(int32_t v) {
    return uint64_t(int64_t(v));
}
uint64_t to_x(uint32_t v) {
    return uint64_t(int64_t(int32_t(v)));
}
uint64_t to_x(int64_t v) {
    return uint64_t(v);
}
uint64_t to_x(uint64_t v) {
    return v;
}

// Integer operands: the soft conversion's own parameter type picks the width and signedness of x
// that convert (soft or host) gets.
template <typename Convert, typename R, typename A>
auto from_x(Convert convert, R (*)(A, sf::Status&), uint64_t x) {
    return convert(A(x));
}

constexpr uint64_t kDynamicRm = 7;

// insn's rm field (bits 14:12), or frm when it says dynamic.
uint64_t resolve_rounding(CpuHeader* env, uint64_t insn) {
    const uint64_t rm = insn >> 12 & 7;
    return rm == kDynamicRm ? state(env)->frm : rm;
}

// Resolves the rounding mode into st. A reserved mode raises illegal instruction with insn as
// tval; the translator rejects reserved static modes, so in practice only frm (writable to any
// 3-bit value) gets here with one.
bool set_rounding(CpuHeader* env, uint64_t insn, sf::Status& st) {
    const uint64_t rm = resolve_rounding(env, insn);
    if (rm > uint64_t(sf::RoundingMode::kNearestMaxMagnitude)) {
        env->exception_pending = 1;
        env->exception_cause = kIllegalInstruction;
        env->exception_tval = insn;
        return false;
    }
    st.rm = sf::RoundingMode(rm);
    return true;
}

// Runs op(status) under insn's rounding mode and accrues the flags it raised. Nothing changes when
// the mode is reserved: the exception is pending and the result is discarded.
template <typename Op>
uint64_t rounded(CpuHeader* env, uint64_t insn, Op op) {
    sf::Status st{sf::RoundingMode::kNearestEven};
    if (!set_rounding(env, insn, st)) return 0;
    const uint64_t result = op(st);
    state(env)->fflags |= st.flags;
    return result;
}

// The same for operations that have no rounding mode.
template <typename Op>
uint64_t unrounded(CpuHeader* env, Op op) {
    sf::Status st{sf::RoundingMode::kNearestEven};
    const uint64_t result = op(st);
    state(env)->fflags |= st.flags;
    return result;
}

// Runs host(rm, fflags) first, under a valid rounding mode; where it gives no result, soft as
// rounded() does (which also raises illegal instruction for a reserved mode).
template <typename Host, typename Soft>
uint64_t host_or_rounded(CpuHeader* env, uint64_t insn, Host host, Soft soft) {
    const uint64_t rm = resolve_rounding(env, insn);
    if (rm <= uint64_t(sf::RoundingMode::kNearestMaxMagnitude)) {
        if (const auto result = host(sf::RoundingMode(rm), state(env)->fflags)) return *result;
    }
    return rounded(env, insn, soft);
}

// A host result as the register holds it.
template <typename F, typename Bits>
std::optional<uint64_t> put(std::optional<Bits> v) {
    if (!v) return {};
    return F::put(*v);
}
template <typename Int>
std::optional<uint64_t> put_x(std::optional<Int> v) {
    if (!v) return {};
    return to_x(*v);
}

}  // namespace

// One definition per helper of helpers.inc, by shape. F is the result's format, A the operand's;
// host is the hardfloat function tried first.
#define FP_BINARY(name, F, fn, host)                                                                              \
    uint64_t helper_##name(CpuHeader* env, uint64_t a, uint64_t b, uint64_t insn, uint64_t) {                     \
        const auto x = F::get(a), y = F::get(b);                                                                  \
        return host_or_rounded(                                                                                   \
            env, insn, [&](sf::RoundingMode rm, uint64_t& fflags) { return put<F>(hf::host(x, y, rm, fflags)); }, \
            [&](sf::Status& st) { return F::put(sf::fn(x, y, st)); });                                            \
    }
#define FP_UNARY(name, F, A, fn, host)                                                                         \
    uint64_t helper_##name(CpuHeader* env, uint64_t a, uint64_t insn, uint64_t, uint64_t) {                    \
        const auto x = A::get(a);                                                                              \
        return host_or_rounded(                                                                                \
            env, insn, [&](sf::RoundingMode rm, uint64_t& fflags) { return put<F>(hf::host(x, rm, fflags)); }, \
            [&](sf::Status& st) { return F::put(sf::fn(x, st)); });                                            \
    }
#define FP_FUSED(name, F, fn, negate_product, negate_addend)                                             \
    uint64_t helper_##name(CpuHeader* env, uint64_t a, uint64_t b, uint64_t c, uint64_t insn) {          \
        const auto x = F::get(a), y = F::get(b), z = F::get(c);                                          \
        return host_or_rounded(                                                                          \
            env, insn,                                                                                   \
            [&](sf::RoundingMode rm, uint64_t& fflags) {                                                 \
                return put<F>(hf::muladd<F::Host>(x, y, z, negate_product, negate_addend, rm, fflags));  \
            },                                                                                           \
            [&](sf::Status& st) { return F::put(sf::fn(x, y, z, st, negate_product, negate_addend)); }); \
    }
#define FP_TO_INT(name, A, fn)                                                                                     \
    uint64_t helper_##name(CpuHeader* env, uint64_t a, uint64_t insn, uint64_t, uint64_t) {                        \
        const auto x = A::get(a);                                                                                  \
        using Int = decltype(sf::fn(x, std::declval<sf::Status&>()));                                              \
        return host_or_rounded(                                                                                    \
            env, insn,                                                                                             \
            [&](sf::RoundingMode rm, uint64_t& fflags) { return put_x(hf::to_int<A::Host, Int>(x, rm, fflags)); }, \
            [&](sf::Status& st) { return to_x(sf::fn(x, st)); });                                                  \
    }
#define FP_FROM_INT(name, F, fn)                                                                                \
    uint64_t helper_##name(CpuHeader* env, uint64_t x, uint64_t insn, uint64_t, uint64_t) {                     \
        return host_or_rounded(                                                                                 \
            env, insn,                                                                                          \
            [&](sf::RoundingMode rm, uint64_t& fflags) {                                                        \
                return put<F>(from_x([&](auto v) { return hf::from_int<F::Host>(v, rm, fflags); }, sf::fn, x)); \
            },                                                                                                  \
            [&](sf::Status& st) { return F::put(from_x([&](auto v) { return sf::fn(v, st); }, sf::fn, x)); });  \
    }
#define FP_MIN_MAX(name, F, fn)                                                                          \
    uint64_t helper_##name(CpuHeader* env, uint64_t a, uint64_t b, uint64_t, uint64_t) {                 \
        return unrounded(env, [&](sf::Status& st) { return F::put(sf::fn(F::get(a), F::get(b), st)); }); \
    }
#define FP_COMPARE(name, A, fn, host)                                                           \
    uint64_t helper_##name(CpuHeader* env, uint64_t a, uint64_t b, uint64_t, uint64_t) {        \
        const auto x = A::get(a), y = A::get(b);                                                \
        if (const auto result = hf::host(x, y)) return *result;                                 \
        return unrounded(env, [&](sf::Status& st) { return uint64_t(sf::fn(x, y, st)); });      \
    }                                                                                           \
    uint64_t helper_##name##_no_flags(CpuHeader*, uint64_t a, uint64_t b, uint64_t, uint64_t) { \
        const auto x = A::get(a), y = A::get(b);                                                \
        if (const auto result = hf::host(x, y)) return *result;                                 \
        sf::Status discarded{sf::RoundingMode::kNearestEven};                                   \
        return sf::fn(x, y, discarded);                                                         \
    }
#define FP_CLASSIFY(name, A, fn)                                                   \
    uint64_t helper_##name(CpuHeader*, uint64_t a, uint64_t, uint64_t, uint64_t) { \
        return sf::fn(A::get(a));                                                  \
    }

FP_BINARY(fadd_s, Single, f32_add, add<float>)
FP_BINARY(fsub_s, Single, f32_sub, sub<float>)
FP_BINARY(fmul_s, Single, f32_mul, mul<float>)
FP_BINARY(fdiv_s, Single, f32_div, div<float>)
FP_UNARY(fsqrt_s, Single, Single, f32_sqrt, sqrt<float>)
FP_FUSED(fmadd_s, Single, f32_muladd, false, false)
FP_FUSED(fmsub_s, Single, f32_muladd, false, true)
FP_FUSED(fnmsub_s, Single, f32_muladd, true, false)
FP_FUSED(fnmadd_s, Single, f32_muladd, true, true)
FP_MIN_MAX(fmin_s, Single, f32_min)
FP_MIN_MAX(fmax_s, Single, f32_max)
FP_COMPARE(feq_s, Single, f32_eq, eq<float>)
FP_COMPARE(flt_s, Single, f32_lt, lt<float>)
FP_COMPARE(fle_s, Single, f32_le, le<float>)
FP_CLASSIFY(fclass_s, Single, f32_classify)
FP_TO_INT(fcvt_w_s, Single, f32_to_i32)
FP_TO_INT(fcvt_wu_s, Single, f32_to_u32)
FP_TO_INT(fcvt_l_s, Single, f32_to_i64)
FP_TO_INT(fcvt_lu_s, Single, f32_to_u64)
FP_FROM_INT(fcvt_s_w, Single, i32_to_f32)
FP_FROM_INT(fcvt_s_wu, Single, u32_to_f32)
FP_FROM_INT(fcvt_s_l, Single, i64_to_f32)
FP_FROM_INT(fcvt_s_lu, Single, u64_to_f32)

FP_BINARY(fadd_d, Double, f64_add, add<double>)
FP_BINARY(fsub_d, Double, f64_sub, sub<double>)
FP_BINARY(fmul_d, Double, f64_mul, mul<double>)
FP_BINARY(fdiv_d, Double, f64_div, div<double>)
FP_UNARY(fsqrt_d, Double, Double, f64_sqrt, sqrt<double>)
FP_FUSED(fmadd_d, Double, f64_muladd, false, false)
FP_FUSED(fmsub_d, Double, f64_muladd, false, true)
FP_FUSED(fnmsub_d, Double, f64_muladd, true, false)
FP_FUSED(fnmadd_d, Double, f64_muladd, true, true)
FP_MIN_MAX(fmin_d, Double, f64_min)
FP_MIN_MAX(fmax_d, Double, f64_max)
FP_COMPARE(feq_d, Double, f64_eq, eq<double>)
FP_COMPARE(flt_d, Double, f64_lt, lt<double>)
FP_COMPARE(fle_d, Double, f64_le, le<double>)
FP_CLASSIFY(fclass_d, Double, f64_classify)
FP_TO_INT(fcvt_w_d, Double, f64_to_i32)
FP_TO_INT(fcvt_wu_d, Double, f64_to_u32)
FP_TO_INT(fcvt_l_d, Double, f64_to_i64)
FP_TO_INT(fcvt_lu_d, Double, f64_to_u64)
FP_FROM_INT(fcvt_d_w, Double, i32_to_f64)
FP_FROM_INT(fcvt_d_wu, Double, u32_to_f64)
FP_FROM_INT(fcvt_d_l, Double, i64_to_f64)
FP_FROM_INT(fcvt_d_lu, Double, u64_to_f64)
FP_UNARY(fcvt_s_d, Single, Double, f64_to_f32, narrow)
FP_UNARY(fcvt_d_s, Double, Single, f32_to_f64, widen)

// The _rne helpers: the same operations under an instruction word whose rm field is 0 (RNE).
#define FP_BINARY_RNE(name)                                                                    \
    uint64_t helper_##name##_rne(CpuHeader* env, uint64_t a, uint64_t b, uint64_t, uint64_t) { \
        return helper_##name(env, a, b, 0, 0);                                                 \
    }
#define FP_UNARY_RNE(name)                                                                   \
    uint64_t helper_##name##_rne(CpuHeader* env, uint64_t a, uint64_t, uint64_t, uint64_t) { \
        return helper_##name(env, a, 0, 0, 0);                                               \
    }
#define FP_FUSED_RNE(name)                                                                       \
    uint64_t helper_##name##_rne(CpuHeader* env, uint64_t a, uint64_t b, uint64_t c, uint64_t) { \
        return helper_##name(env, a, b, c, 0);                                                   \
    }

FP_BINARY_RNE(fadd_s)
FP_BINARY_RNE(fsub_s)
FP_BINARY_RNE(fmul_s)
FP_BINARY_RNE(fdiv_s)
FP_UNARY_RNE(fsqrt_s)
FP_BINARY_RNE(fadd_d)
FP_BINARY_RNE(fsub_d)
FP_BINARY_RNE(fmul_d)
FP_BINARY_RNE(fdiv_d)
FP_UNARY_RNE(fsqrt_d)
FP_FUSED_RNE(fmadd_s)
FP_FUSED_RNE(fmsub_s)
FP_FUSED_RNE(fnmsub_s)
FP_FUSED_RNE(fnmadd_s)
FP_FUSED_RNE(fmadd_d)
FP_FUSED_RNE(fmsub_d)
FP_FUSED_RNE(fnmsub_d)
FP_FUSED_RNE(fnmadd_d)

#undef FP_BINARY_RNE
#undef FP_UNARY_RNE
#undef FP_FUSED_RNE
#undef FP_BINARY
#undef FP_UNARY
#undef FP_FUSED
#undef FP_TO_INT
#undef FP_FROM_INT
#undef FP_MIN_MAX
#undef FP_COMPARE
#undef FP_CLASSIFY

}  // namespace mimic::riscv
