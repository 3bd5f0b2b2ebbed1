// Private to the softfloat_*.cpp files: format descriptions, operand decoding and the one rounding
// routine that every operation producing a float ends in.
#pragma once

#include <bit>
#include <cstdint>
#include <utility>

#include "frontends/riscv/softfloat.h"

namespace mimic::riscv::softfloat::detail {

__extension__ typedef unsigned __int128 U128;

template <typename W>
inline constexpr int kWidthOf = static_cast<int>(sizeof(W) * 8);

inline int count_leading_zeros(uint32_t x) {
    return std::countl_zero(x);
}
inline int count_leading_zeros(uint64_t x) {
    return std::countl_zero(x);
}
inline int count_leading_zeros(U128 x) {
    const auto hi = static_cast<uint64_t>(x >> 64);
    return hi != 0 ? std::countl_zero(hi) : 64 + std::countl_zero(static_cast<uint64_t>(x));
}

// Shifts right, ORing every bit shifted out into bit 0 so that rounding still sees "inexact".
template <typename W>
W shift_right_jam(W x, int n) {
    if (n <= 0) return x;
    if (n >= kWidthOf<W>) return static_cast<W>(x != 0);
    return (x >> n) | static_cast<W>((x & ((W{1} << n) - 1)) != 0);
}

// Wide is the working type of the rounding code: at least two significands plus guard bits, so
// products are exact and quotients/roots carry more than enough bits below the rounding point.
template <typename BitsT, typename WideT, int kExpBitsV, int kFracBitsV>
struct Format {
    using Bits = BitsT;
    using Wide = WideT;
    static constexpr int kFracBits = kFracBitsV;
    static constexpr int kPrecision = kFracBits + 1;
    static constexpr int kBias = (1 << (kExpBitsV - 1)) - 1;
    static constexpr int kMaxExpField = (1 << kExpBitsV) - 1;
    static constexpr int kWideBits = kWidthOf<Wide>;
    static constexpr Bits kSignMask = Bits{1} << (kFracBits + kExpBitsV);
    static constexpr Bits kFracMask = (Bits{1} << kFracBits) - 1;
    static constexpr Bits kImplicitBit = Bits{1} << kFracBits;
    static constexpr Bits kInf = static_cast<Bits>(kMaxExpField) << kFracBits;
    static constexpr Bits kMaxFinite = kInf - 1;
    static constexpr Bits kQuietBit = Bits{1} << (kFracBits - 1);
    static constexpr Bits kCanonicalNan = kInf | kQuietBit;
};

using F32 = Format<uint32_t, uint64_t, 8, 23>;
using F64 = Format<uint64_t, U128, 11, 52>;

template <typename F>
bool sign_of(typename F::Bits x) {
    return (x & F::kSignMask) != 0;
}
template <typename F>
typename F::Bits magnitude(typename F::Bits x) {
    return x & ~F::kSignMask;
}
template <typename F>
bool is_nan(typename F::Bits x) {
    return magnitude<F>(x) > F::kInf;
}
template <typename F>
bool is_inf(typename F::Bits x) {
    return magnitude<F>(x) == F::kInf;
}
template <typename F>
bool is_zero(typename F::Bits x) {
    return magnitude<F>(x) == 0;
}
template <typename F>
bool is_signaling_nan(typename F::Bits x) {
    return is_nan<F>(x) && (x & F::kQuietBit) == 0;
}
template <typename F>
typename F::Bits signed_zero(bool sign) {
    return sign ? F::kSignMask : 0;
}
template <typename F>
typename F::Bits signed_inf(bool sign) {
    return F::kInf | signed_zero<F>(sign);
}

// Canonical NaN result of an operation with NaN operands; only signaling NaNs are invalid.
template <typename F, typename... Operands>
typename F::Bits nan_result(Status& st, Operands... operands) {
    if ((is_signaling_nan<F>(operands) || ...)) st.flags |= kInvalid;
    return F::kCanonicalNan;
}

template <typename F>
typename F::Bits invalid_result(Status& st) {
    st.flags |= kInvalid;
    return F::kCanonicalNan;
}

// A finite nonzero value sign * sig * 2^exp with sig normalized to exactly kPrecision bits, so
// that subnormal operands need no special case in the arithmetic.
template <typename F>
struct Unpacked {
    bool sign;
    int exp;
    typename F::Bits sig;
};

template <typename F>
Unpacked<F> unpack(typename F::Bits x) {
    const int field = static_cast<int>((x >> F::kFracBits) & F::kMaxExpField);
    typename F::Bits sig = x & F::kFracMask;
    if (field == 0) {
        const int shift = count_leading_zeros(sig) - (kWidthOf<typename F::Bits> - F::kPrecision);
        return {sign_of<F>(x), 1 - F::kBias - F::kFracBits - shift, static_cast<typename F::Bits>(sig << shift)};
    }
    return {sign_of<F>(x), field - F::kBias - F::kFracBits, sig | F::kImplicitBit};
}

// Whether a value whose bits below the result's lsb are `rest` (out of a field whose half-way
// point is `half`) moves away from zero to the next representable magnitude.
template <typename W>
bool rounds_away(RoundingMode rm, bool sign, bool lsb_odd, W rest, W half) {
    switch (rm) {
        case RoundingMode::kTowardZero: return false;
        case RoundingMode::kDown: return sign && rest != 0;
        case RoundingMode::kUp: return !sign && rest != 0;
        case RoundingMode::kNearestMaxMagnitude: return rest >= half;
        case RoundingMode::kNearestEven:
        default: return rest > half || (rest == half && lsb_odd);
    }
}

template <typename F>
typename F::Bits overflow_result(bool sign, Status& st) {
    st.flags |= kOverflow | kInexact;
    bool to_inf = true;  // both nearest modes (and reserved ones, as in rounds_away)
    switch (st.rm) {
        case RoundingMode::kTowardZero: to_inf = false; break;
        case RoundingMode::kDown: to_inf = sign; break;
        case RoundingMode::kUp: to_inf = !sign; break;
        default: break;
    }
    return (to_inf ? F::kInf : F::kMaxFinite) | signed_zero<F>(sign);
}

// Rounds sign * sig * 2^exp (sig != 0, any bit position; a 1 in bit 0 may stand for a nonzero
// tail that was jammed there) to the format, raising NX/UF/OF. Tininess is detected after
// rounding, as RISC-V specifies: a result is tiny only if it would still be below the smallest
// normal after rounding to full precision with an unbounded exponent.
template <typename F>
typename F::Bits round_pack(bool sign, int exp, typename F::Wide sig, Status& st) {
    using Bits = typename F::Bits;
    using Wide = typename F::Wide;
    // The leading one goes to bit kWideBits-2; the free top bit absorbs a rounding carry.
    constexpr int kExtra = F::kWideBits - 1 - F::kPrecision;  // bits below the result's lsb
    constexpr Wide kHalf = Wide{1} << (kExtra - 1);
    constexpr Wide kRestMask = (Wide{1} << kExtra) - 1;
    const int shift = count_leading_zeros(sig) - 1;
    if (shift >= 0) {
        sig <<= shift;
    } else {
        sig = shift_right_jam(sig, -shift);
    }
    exp -= shift;
    // Biased exponent of the leading one, i.e. the exponent field if the result is normal.
    int biased = exp + (F::kWideBits - 2) + F::kBias;
    if (biased >= F::kMaxExpField) return overflow_result<F>(sign, st);

    bool tiny = false;
    if (biased <= 0) {
        if (biased < 0) {
            tiny = true;
        } else {
            // Only an all-ones significand just below 2^emin can round up to it.
            const Wide top = sig >> kExtra;
            const bool all_ones = top == (Wide{1} << F::kPrecision) - 1;
            tiny = !(all_ones && rounds_away(st.rm, sign, true, sig & kRestMask, kHalf));
        }
        sig = shift_right_jam(sig, 1 - biased);
        biased = 1;
    }
    const Wide rest = sig & kRestMask;
    Wide result = sig >> kExtra;
    if (rounds_away(st.rm, sign, (result & 1) != 0, rest, kHalf)) ++result;
    if (rest != 0) {
        st.flags |= kInexact;
        if (tiny) st.flags |= kUnderflow;
    }
    // Adding the significand with its leading one onto (biased-1) both sets the exponent field and
    // carries a rounding overflow (or a subnormal rounding up to 2^emin) into it.
    const Bits mag = (static_cast<Bits>(biased - 1) << F::kFracBits) + static_cast<Bits>(result);
    if (mag >= F::kInf) return overflow_result<F>(sign, st);
    return mag | signed_zero<F>(sign);
}

// Sum of two finite nonzero values whose significands have their leading one at bit
// kWideBits-3 (headroom for the carry of the addition and then for rounding).
template <typename F>
typename F::Bits add_aligned(bool sx, int ex, typename F::Wide x, bool sy, int ey, typename F::Wide y, Status& st) {
    if (ey > ex || (ey == ex && y > x)) {
        std::swap(sx, sy);
        std::swap(ex, ey);
        std::swap(x, y);
    }
    // Only a shift of >= 2 loses bits, and then the result keeps its leading one within one bit of
    // x's, so the jammed bit stays far below the rounding point.
    y = shift_right_jam(y, ex - ey);
    const typename F::Wide sum = sx == sy ? x + y : x - y;
    if (sum == 0) return signed_zero<F>(st.rm == RoundingMode::kDown);
    return round_pack<F>(sx, ex, sum, st);
}

}  // namespace mimic::riscv::softfloat::detail
