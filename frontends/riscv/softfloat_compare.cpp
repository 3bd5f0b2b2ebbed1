// fmin/fmax, feq/flt/fle and fclass for binary32 and binary64.
#include "frontends/riscv/softfloat.h"
#include "frontends/riscv/softfloat_internal.h"

namespace mimic::riscv::softfloat {
namespace {

using detail::F32;
using detail::F64;

// Maps non-NaN encodings to unsigned integers in numeric order, with -0 just below +0.
template <typename F>
typename F::Bits order_key(typename F::Bits x) {
    return detail::sign_of<F>(x) ? static_cast<typename F::Bits>(~x) : (x | F::kSignMask);
}

template <typename F>
typename F::Bits min_max(typename F::Bits a, typename F::Bits b, bool want_max, Status& st) {
    using namespace detail;
    if (is_signaling_nan<F>(a) || is_signaling_nan<F>(b)) st.flags |= kInvalid;
    if (is_nan<F>(a)) return is_nan<F>(b) ? F::kCanonicalNan : b;
    if (is_nan<F>(b)) return a;
    const bool a_less = order_key<F>(a) < order_key<F>(b);
    return a_less != want_max ? a : b;
}

template <typename F>
bool equal(typename F::Bits a, typename F::Bits b, Status& st) {
    using namespace detail;
    if (is_nan<F>(a) || is_nan<F>(b)) {
        if (is_signaling_nan<F>(a) || is_signaling_nan<F>(b)) st.flags |= kInvalid;
        return false;
    }
    return a == b || (is_zero<F>(a) && is_zero<F>(b));
}

template <typename F>
bool less(typename F::Bits a, typename F::Bits b, bool or_equal, Status& st) {
    using namespace detail;
    if (is_nan<F>(a) || is_nan<F>(b)) {
        st.flags |= kInvalid;
        return false;
    }
    if (is_zero<F>(a) && is_zero<F>(b)) return or_equal;
    const auto ka = order_key<F>(a);
    const auto kb = order_key<F>(b);
    return or_equal ? ka <= kb : ka < kb;
}

template <typename F>
uint32_t classify(typename F::Bits a) {
    using namespace detail;
    const bool neg = sign_of<F>(a);
    const auto mag = magnitude<F>(a);
    if (is_nan<F>(a)) return is_signaling_nan<F>(a) ? kClassSignalingNan : kClassQuietNan;
    if (mag == F::kInf) return neg ? kClassNegInf : kClassPosInf;
    if (mag == 0) return neg ? kClassNegZero : kClassPosZero;
    if (mag < F::kImplicitBit) return neg ? kClassNegSubnormal : kClassPosSubnormal;
    return neg ? kClassNegNormal : kClassPosNormal;
}

}  // namespace

uint32_t f32_min(uint32_t a, uint32_t b, Status& st) {
    return min_max<F32>(a, b, false, st);
}
uint32_t f32_max(uint32_t a, uint32_t b, Status& st) {
    return min_max<F32>(a, b, true, st);
}
bool f32_eq(uint32_t a, uint32_t b, Status& st) {
    return equal<F32>(a, b, st);
}
bool f32_lt(uint32_t a, uint32_t b, Status& st) {
    return less<F32>(a, b, false, st);
}
bool f32_le(uint32_t a, uint32_t b, Status& st) {
    return less<F32>(a, b, true, st);
}
uint32_t f32_classify(uint32_t a) {
    return classify<F32>(a);
}

uint64_t f64_min(uint64_t a, uint64_t b, Status& st) {
    return min_max<F64>(a, b, false, st);
}
uint64_t f64_max(uint64_t a, uint64_t b, Status& st) {
    return min_max<F64>(a, b, true, st);
}
bool f64_eq(uint64_t a, uint64_t b, Status& st) {
    return equal<F64>(a, b, st);
}
bool f64_lt(uint64_t a, uint64_t b, Status& st) {
    return less<F64>(a, b, false, st);
}
bool f64_le(uint64_t a, uint64_t b, Status& st) {
    return less<F64>(a, b, true, st);
}
uint32_t f64_classify(uint64_t a) {
    return classify<F64>(a);
}

}  // namespace mimic::riscv::softfloat
