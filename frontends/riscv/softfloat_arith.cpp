// Correctly rounded add, sub, mul, div, sqrt and fused multiply-add for binary32 and binary64.
#include "frontends/riscv/softfloat.h"
#include "frontends/riscv/softfloat_internal.h"

namespace mimic::riscv::softfloat {
namespace {

using detail::F32;
using detail::F64;

// Shift that puts a kPrecision-bit significand's leading one at bit kWideBits-3, the input
// position add_aligned expects.
template <typename F>
constexpr int kAddShift = F::kWideBits - 3 - (F::kPrecision - 1);

template <typename F>
typename F::Bits add(typename F::Bits a, typename F::Bits b, bool negate_b, Status& st) {
    using namespace detail;
    using Wide = typename F::Wide;
    if (is_nan<F>(a) || is_nan<F>(b)) return nan_result<F>(st, a, b);
    const bool sa = sign_of<F>(a);
    const bool sb = sign_of<F>(b) != negate_b;
    if (is_inf<F>(a)) {
        if (is_inf<F>(b) && sa != sb) return invalid_result<F>(st);
        return a;
    }
    if (is_inf<F>(b)) return signed_inf<F>(sb);
    if (is_zero<F>(a) && is_zero<F>(b)) {
        // x + (-x) is +0 except when rounding down; equal signs keep their sign.
        return signed_zero<F>(sa == sb ? sa : st.rm == RoundingMode::kDown);
    }
    if (is_zero<F>(b)) return a;
    if (is_zero<F>(a)) return magnitude<F>(b) | signed_zero<F>(sb);
    const auto ua = unpack<F>(a);
    const auto ub = unpack<F>(b);
    constexpr int kShift = kAddShift<F>;
    return add_aligned<F>(sa, ua.exp - kShift, Wide{ua.sig} << kShift, sb, ub.exp - kShift, Wide{ub.sig} << kShift, st);
}

template <typename F>
typename F::Bits mul(typename F::Bits a, typename F::Bits b, Status& st) {
    using namespace detail;
    using Wide = typename F::Wide;
    if (is_nan<F>(a) || is_nan<F>(b)) return nan_result<F>(st, a, b);
    const bool sign = sign_of<F>(a) != sign_of<F>(b);
    if (is_inf<F>(a) || is_inf<F>(b)) {
        if (is_zero<F>(a) || is_zero<F>(b)) return invalid_result<F>(st);
        return signed_inf<F>(sign);
    }
    if (is_zero<F>(a) || is_zero<F>(b)) return signed_zero<F>(sign);
    const auto ua = unpack<F>(a);
    const auto ub = unpack<F>(b);
    return round_pack<F>(sign, ua.exp + ub.exp, Wide{ua.sig} * ub.sig, st);
}

template <typename F>
typename F::Bits div(typename F::Bits a, typename F::Bits b, Status& st) {
    using namespace detail;
    using Wide = typename F::Wide;
    if (is_nan<F>(a) || is_nan<F>(b)) return nan_result<F>(st, a, b);
    const bool sign = sign_of<F>(a) != sign_of<F>(b);
    if (is_inf<F>(a)) {
        if (is_inf<F>(b)) return invalid_result<F>(st);
        return signed_inf<F>(sign);
    }
    if (is_inf<F>(b)) return signed_zero<F>(sign);
    if (is_zero<F>(b)) {
        if (is_zero<F>(a)) return invalid_result<F>(st);
        st.flags |= kDivByZero;
        return signed_inf<F>(sign);
    }
    if (is_zero<F>(a)) return signed_zero<F>(sign);
    const auto ua = unpack<F>(a);
    const auto ub = unpack<F>(b);
    // The dividend fills the wide type (below its top bit), so the quotient has about
    // kWideBits-kPrecision bits: comfortably more than kPrecision+2, and the remainder is sticky.
    constexpr int kShift = F::kWideBits - 1 - F::kPrecision;
    const Wide dividend = Wide{ua.sig} << kShift;
    Wide quotient = dividend / ub.sig;
    quotient |= static_cast<Wide>(dividend % ub.sig != 0);
    return round_pack<F>(sign, ua.exp - ub.exp - kShift, quotient, st);
}

// Bit-by-bit integer square root: floor(sqrt(n)), with n - root^2 left in n.
template <typename W>
W isqrt(W& n) {
    W root = 0;
    W bit = W{1} << (detail::kWidthOf<W> - 2);
    while (bit > n) bit >>= 2;
    while (bit != 0) {
        if (n >= root + bit) {
            n -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    return root;
}

template <typename F>
typename F::Bits sqrt(typename F::Bits a, Status& st) {
    using namespace detail;
    using Wide = typename F::Wide;
    if (is_nan<F>(a)) return nan_result<F>(st, a);
    if (is_zero<F>(a)) return a;  // sqrt(-0) = -0
    if (sign_of<F>(a)) return invalid_result<F>(st);
    if (is_inf<F>(a)) return a;
    const auto ua = unpack<F>(a);
    // Scale the radicand to fill the wide type with an even exponent; the root then has about
    // kWideBits/2 bits, more than kPrecision+2, and a nonzero remainder is sticky.
    int shift = F::kWideBits - 1 - F::kPrecision;
    if (((ua.exp - shift) & 1) != 0) ++shift;
    Wide radicand = Wide{ua.sig} << shift;
    Wide root = isqrt(radicand);
    root |= static_cast<Wide>(radicand != 0);
    return round_pack<F>(false, (ua.exp - shift) / 2, root, st);
}

template <typename F>
typename F::Bits muladd(typename F::Bits a, typename F::Bits b, typename F::Bits c, bool negate_product,
                        bool negate_addend, Status& st) {
    using namespace detail;
    using Wide = typename F::Wide;
    // RISC-V makes inf*0 invalid even with a quiet NaN addend, so test it before NaNs.
    if ((is_inf<F>(a) && is_zero<F>(b)) || (is_zero<F>(a) && is_inf<F>(b))) {
        return invalid_result<F>(st);
    }
    if (is_nan<F>(a) || is_nan<F>(b) || is_nan<F>(c)) return nan_result<F>(st, a, b, c);
    const bool sp = (sign_of<F>(a) != sign_of<F>(b)) != negate_product;
    const bool sc = sign_of<F>(c) != negate_addend;
    if (is_inf<F>(a) || is_inf<F>(b)) {
        if (is_inf<F>(c) && sc != sp) return invalid_result<F>(st);
        return signed_inf<F>(sp);
    }
    if (is_inf<F>(c)) return signed_inf<F>(sc);
    if (is_zero<F>(a) || is_zero<F>(b)) {
        if (is_zero<F>(c)) return signed_zero<F>(sp == sc ? sp : st.rm == RoundingMode::kDown);
        return magnitude<F>(c) | signed_zero<F>(sc);
    }
    const auto ua = unpack<F>(a);
    const auto ub = unpack<F>(b);
    Wide product = Wide{ua.sig} * ub.sig;  // exact: 2*kPrecision bits fit with room to spare
    int product_exp = ua.exp + ub.exp;
    if (is_zero<F>(c)) return round_pack<F>(sp, product_exp, product, st);
    const int shift = count_leading_zeros(product) - 2;
    product <<= shift;
    product_exp -= shift;
    const auto uc = unpack<F>(c);
    constexpr int kShift = kAddShift<F>;
    return add_aligned<F>(sp, product_exp, product, sc, uc.exp - kShift, Wide{uc.sig} << kShift, st);
}

}  // namespace

uint32_t f32_add(uint32_t a, uint32_t b, Status& st) {
    return add<F32>(a, b, false, st);
}
uint32_t f32_sub(uint32_t a, uint32_t b, Status& st) {
    return add<F32>(a, b, true, st);
}
uint32_t f32_mul(uint32_t a, uint32_t b, Status& st) {
    return mul<F32>(a, b, st);
}
uint32_t f32_div(uint32_t a, uint32_t b, Status& st) {
    return div<F32>(a, b, st);
}
uint32_t f32_sqrt(uint32_t a, Status& st) {
    return sqrt<F32>(a, st);
}
uint32_t f32_muladd(uint32_t a, uint32_t b, uint32_t c, Status& st, bool negate_product, bool negate_addend) {
    return muladd<F32>(a, b, c, negate_product, negate_addend, st);
}

uint64_t f64_add(uint64_t a, uint64_t b, Status& st) {
    return add<F64>(a, b, false, st);
}
uint64_t f64_sub(uint64_t a, uint64_t b, Status& st) {
    return add<F64>(a, b, true, st);
}
uint64_t f64_mul(uint64_t a, uint64_t b, Status& st) {
    return mul<F64>(a, b, st);
}
uint64_t f64_div(uint64_t a, uint64_t b, Status& st) {
    return div<F64>(a, b, st);
}
uint64_t f64_sqrt(uint64_t a, Status& st) {
    return sqrt<F64>(a, st);
}
uint64_t f64_muladd(uint64_t a, uint64_t b, uint64_t c, Status& st, bool negate_product, bool negate_addend) {
    return muladd<F64>(a, b, c, negate_product, negate_addend, st);
}

}  // namespace mimic::riscv::softfloat
