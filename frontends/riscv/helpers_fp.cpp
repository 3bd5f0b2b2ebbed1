// F and D helpers: the soft-float operations on raw f-register bits, under the instruction's rounding
// mode, with the IEEE exceptions they raise accrued into fflags.
#include "frontends/riscv/cpu.h"
#include "frontends/riscv/helpers.h"
#include "frontends/riscv/softfloat.h"

namespace mimic::riscv {
namespace {

namespace sf = softfloat;

// How each precision sits in a 64-bit f register.
struct Single {
    // An operand that is not NaN-boxed is the canonical NaN.
    static uint32_t get(uint64_t reg) { return reg >> 32 == 0xffff'ffff ? uint32_t(reg) : sf::kF32CanonicalNan; }
    static uint64_t put(uint32_t v) { return 0xffff'ffff'0000'0000 | v; }
};
struct Double {
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

// Integer operands: the conversion's own parameter type picks the width and signedness of x.
template <typename R, typename A>
R from_x(R (*fn)(A, sf::Status&), uint64_t x, sf::Status& st) {
    return fn(A(x), st);
}

constexpr uint64_t kDynamicRm = 7;

// Resolves insn's rm field (bits 14:12), or frm when it says dynamic. A reserved mode raises
// illegal instruction with insn as tval; the translator rejects reserved static modes, so in
// practice only frm (writable to any 3-bit value) gets here with one.
bool set_rounding(CpuHeader* env, uint64_t insn, sf::Status& st) {
    uint64_t rm = insn >> 12 & 7;
    if (rm == kDynamicRm) rm = state(env)->frm;
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

}  // namespace

// One definition per helper of helpers.inc, by shape. F is the result's format, A the operand's.
#define FP_BINARY(name, F, fn)                                                                               \
    uint64_t helper_##name(CpuHeader* env, uint64_t a, uint64_t b, uint64_t insn, uint64_t) {                \
        return rounded(env, insn, [&](sf::Status& st) { return F::put(sf::fn(F::get(a), F::get(b), st)); }); \
    }
#define FP_UNARY(name, F, A, fn)                                                                  \
    uint64_t helper_##name(CpuHeader* env, uint64_t a, uint64_t insn, uint64_t, uint64_t) {       \
        return rounded(env, insn, [&](sf::Status& st) { return F::put(sf::fn(A::get(a), st)); }); \
    }
#define FP_FUSED(name, F, fn, negate_product, negate_addend)                                           \
    uint64_t helper_##name(CpuHeader* env, uint64_t a, uint64_t b, uint64_t c, uint64_t insn) {        \
        return rounded(env, insn, [&](sf::Status& st) {                                                \
            return F::put(sf::fn(F::get(a), F::get(b), F::get(c), st, negate_product, negate_addend)); \
        });                                                                                            \
    }
#define FP_TO_INT(name, A, fn)                                                                  \
    uint64_t helper_##name(CpuHeader* env, uint64_t a, uint64_t insn, uint64_t, uint64_t) {     \
        return rounded(env, insn, [&](sf::Status& st) { return to_x(sf::fn(A::get(a), st)); }); \
    }
#define FP_FROM_INT(name, F, fn)                                                                  \
    uint64_t helper_##name(CpuHeader* env, uint64_t x, uint64_t insn, uint64_t, uint64_t) {       \
        return rounded(env, insn, [&](sf::Status& st) { return F::put(from_x(sf::fn, x, st)); }); \
    }
#define FP_MIN_MAX(name, F, fn)                                                                          \
    uint64_t helper_##name(CpuHeader* env, uint64_t a, uint64_t b, uint64_t, uint64_t) {                 \
        return unrounded(env, [&](sf::Status& st) { return F::put(sf::fn(F::get(a), F::get(b), st)); }); \
    }
#define FP_COMPARE(name, A, fn)                                                                            \
    uint64_t helper_##name(CpuHeader* env, uint64_t a, uint64_t b, uint64_t, uint64_t) {                   \
        return unrounded(env, [&](sf::Status& st) { return uint64_t(sf::fn(A::get(a), A::get(b), st)); }); \
    }
#define FP_CLASSIFY(name, A, fn)                                                   \
    uint64_t helper_##name(CpuHeader*, uint64_t a, uint64_t, uint64_t, uint64_t) { \
        return sf::fn(A::get(a));                                                  \
    }

FP_BINARY(fadd_s, Single, f32_add)
FP_BINARY(fsub_s, Single, f32_sub)
FP_BINARY(fmul_s, Single, f32_mul)
FP_BINARY(fdiv_s, Single, f32_div)
FP_UNARY(fsqrt_s, Single, Single, f32_sqrt)
FP_FUSED(fmadd_s, Single, f32_muladd, false, false)
FP_FUSED(fmsub_s, Single, f32_muladd, false, true)
FP_FUSED(fnmsub_s, Single, f32_muladd, true, false)
FP_FUSED(fnmadd_s, Single, f32_muladd, true, true)
FP_MIN_MAX(fmin_s, Single, f32_min)
FP_MIN_MAX(fmax_s, Single, f32_max)
FP_COMPARE(feq_s, Single, f32_eq)
FP_COMPARE(flt_s, Single, f32_lt)
FP_COMPARE(fle_s, Single, f32_le)
FP_CLASSIFY(fclass_s, Single, f32_classify)
FP_TO_INT(fcvt_w_s, Single, f32_to_i32)
FP_TO_INT(fcvt_wu_s, Single, f32_to_u32)
FP_TO_INT(fcvt_l_s, Single, f32_to_i64)
FP_TO_INT(fcvt_lu_s, Single, f32_to_u64)
FP_FROM_INT(fcvt_s_w, Single, i32_to_f32)
FP_FROM_INT(fcvt_s_wu, Single, u32_to_f32)
FP_FROM_INT(fcvt_s_l, Single, i64_to_f32)
FP_FROM_INT(fcvt_s_lu, Single, u64_to_f32)

FP_BINARY(fadd_d, Double, f64_add)
FP_BINARY(fsub_d, Double, f64_sub)
FP_BINARY(fmul_d, Double, f64_mul)
FP_BINARY(fdiv_d, Double, f64_div)
FP_UNARY(fsqrt_d, Double, Double, f64_sqrt)
FP_FUSED(fmadd_d, Double, f64_muladd, false, false)
FP_FUSED(fmsub_d, Double, f64_muladd, false, true)
FP_FUSED(fnmsub_d, Double, f64_muladd, true, false)
FP_FUSED(fnmadd_d, Double, f64_muladd, true, true)
FP_MIN_MAX(fmin_d, Double, f64_min)
FP_MIN_MAX(fmax_d, Double, f64_max)
FP_COMPARE(feq_d, Double, f64_eq)
FP_COMPARE(flt_d, Double, f64_lt)
FP_COMPARE(fle_d, Double, f64_le)
FP_CLASSIFY(fclass_d, Double, f64_classify)
FP_TO_INT(fcvt_w_d, Double, f64_to_i32)
FP_TO_INT(fcvt_wu_d, Double, f64_to_u32)
FP_TO_INT(fcvt_l_d, Double, f64_to_i64)
FP_TO_INT(fcvt_lu_d, Double, f64_to_u64)
FP_FROM_INT(fcvt_d_w, Double, i32_to_f64)
FP_FROM_INT(fcvt_d_wu, Double, u32_to_f64)
FP_FROM_INT(fcvt_d_l, Double, i64_to_f64)
FP_FROM_INT(fcvt_d_lu, Double, u64_to_f64)
FP_UNARY(fcvt_s_d, Single, Double, f64_to_f32)
FP_UNARY(fcvt_d_s, Double, Single, f32_to_f64)

#undef FP_BINARY
#undef FP_UNARY
#undef FP_FUSED
#undef FP_TO_INT
#undef FP_FROM_INT
#undef FP_MIN_MAX
#undef FP_COMPARE
#undef FP_CLASSIFY

}  // namespace mimic::riscv
