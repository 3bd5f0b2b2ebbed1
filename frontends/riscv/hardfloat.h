// Host-FPU fast paths for the F/D helpers. Each one computes with the host's float or double only
// where the result and the fflags it raises provably equal softfloat's; elsewhere it gives no
// result and the caller runs softfloat.
#pragma once

#include <bit>
#include <cfloat>
#include <cstdint>
#include <limits>
#include <optional>
#include <type_traits>

#include "frontends/riscv/softfloat.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// Why the paths are exact. Operands are zero or normal (never NaN, infinite or subnormal, so the
// host's flush-to-zero modes do not matter), the rounding mode is round-to-nearest-even (the
// host's too: Mimic never changes it), and a result is accepted only when it is finite and above
// the smallest normal, or an exact zero. Then the host's correctly rounded result is softfloat's,
// no overflow, underflow, invalid or divide-by-zero is possible, and only inexact is left.
//
// Inexact costs nothing when fflags.NX is already set, as it is in almost every program after its
// first inexact operation. Otherwise it is decided exactly; the host's MXCSR flags would do, but
// clearing and reading them costs about as much as the soft-float operation itself:
// - a sum by Fast2Sum: with |big| >= |small|, s - big is exact, and equals small iff s is exact;
// - a product iff the odd parts of the significands multiply to at most kPrecision bits;
// - a quotient q = a/b iff odd(q) * odd(b) == odd(a), a root r iff odd(r)^2 == odd(a): a correctly
//   rounded result is within a factor 1 +- 2^-52 of the exact one, so equal odd parts mean equal
//   values (a power-of-two factor other than 1 is out of reach).
// Fused multiply-add has no cheap exactness test, so it runs on the host only when NX is set.
namespace mimic::riscv::hardfloat {

namespace sf = softfloat;

// Only an IEEE host without excess precision computes the formats' own roundings.
inline constexpr bool kEnabled =
    std::numeric_limits<float>::is_iec559 && std::numeric_limits<double>::is_iec559 && FLT_EVAL_METHOD == 0;

template <typename H>
struct Format {
    using Bits = std::conditional_t<sizeof(H) == 4, uint32_t, uint64_t>;
    // Holds the product of two significands exactly.
    using Wide = std::conditional_t<sizeof(H) == 4, uint64_t, unsigned __int128>;
    static constexpr int kPrecision = std::numeric_limits<H>::digits;
    static constexpr Bits kSign = Bits{1} << (sizeof(Bits) * 8 - 1);
    static constexpr Bits kMinNormal = Bits{1} << (kPrecision - 1);  // also the implicit bit
    static constexpr Bits kInf = std::bit_cast<Bits>(std::numeric_limits<H>::infinity());
};

template <typename H>
typename Format<H>::Bits magnitude(typename Format<H>::Bits x) {
    return x & ~Format<H>::kSign;
}

template <typename H>
bool is_zero(typename Format<H>::Bits x) {
    return magnitude<H>(x) == 0;
}

// The operands every fast path requires.
template <typename H>
bool zero_or_normal(typename Format<H>::Bits x) {
    using F = Format<H>;
    const auto mag = magnitude<H>(x);
    return mag == 0 || typename F::Bits(mag - F::kMinNormal) < F::kInf - F::kMinNormal;
}
template <typename H>
bool zero_normal_or_inf(typename Format<H>::Bits x) {
    return zero_or_normal<H>(x) || magnitude<H>(x) == Format<H>::kInf;
}

// Finite and strictly above the smallest normal: no overflow, and no underflow either, since a
// value rounding to more than 2^emin was not below it.
template <typename H>
bool safe_result(H r) {
    using F = Format<H>;
    const auto mag = magnitude<H>(std::bit_cast<typename F::Bits>(r));
    return typename F::Bits(mag - (F::kMinNormal + 1)) < F::kInf - (F::kMinNormal + 1);
}

// The significand of a normal value without its trailing zeros.
template <typename H>
typename Format<H>::Bits odd_significand(typename Format<H>::Bits x) {
    using F = Format<H>;
    const typename F::Bits sig = (x & (F::kMinNormal - 1)) | F::kMinNormal;
    return sig >> std::countr_zero(sig);
}

inline bool inexact_known(uint64_t fflags) {
    return (fflags & sf::kInexact) != 0;
}

inline bool nearest_even_on_host(sf::RoundingMode rm) {
    return kEnabled && rm == sf::RoundingMode::kNearestEven;
}

template <typename H>
H as_host(typename Format<H>::Bits x) {
    return std::bit_cast<H>(x);
}
template <typename H>
typename Format<H>::Bits bits_of(H x) {
    return std::bit_cast<typename Format<H>::Bits>(x);
}

// Each operation below gives the result's bits with inexact accrued into fflags, or nothing
// where softfloat must decide. They are forced inline: each is a few instructions on its fast
// path, and a call that returns an optional through memory would cost as much again.
template <typename H>
using Result = std::optional<typename Format<H>::Bits>;

template <typename H>
[[gnu::always_inline]] inline Result<H> add(typename Format<H>::Bits a, typename Format<H>::Bits b, sf::RoundingMode rm,
                                            uint64_t& fflags) {
    if (!nearest_even_on_host(rm) || !zero_or_normal<H>(a) || !zero_or_normal<H>(b)) return {};
    const H x = as_host<H>(a), y = as_host<H>(b);
    const H s = x + y;
    // A zero sum is exact: both operands zero (IEEE's sign rules) or an exact cancellation (+0).
    if (s != 0 && !safe_result(s)) return {};
    if (!inexact_known(fflags)) {
        const bool x_bigger = magnitude<H>(a) >= magnitude<H>(b);
        const H big = x_bigger ? x : y, small = x_bigger ? y : x;
        if (s - big != small) fflags |= sf::kInexact;
    }
    return bits_of(s);
}

template <typename H>
[[gnu::always_inline]] inline Result<H> sub(typename Format<H>::Bits a, typename Format<H>::Bits b, sf::RoundingMode rm,
                                            uint64_t& fflags) {
    return add<H>(a, b ^ Format<H>::kSign, rm, fflags);
}

template <typename H>
[[gnu::always_inline]] inline Result<H> mul(typename Format<H>::Bits a, typename Format<H>::Bits b, sf::RoundingMode rm,
                                            uint64_t& fflags) {
    using F = Format<H>;
    if (!nearest_even_on_host(rm) || !zero_or_normal<H>(a) || !zero_or_normal<H>(b)) return {};
    const H p = as_host<H>(a) * as_host<H>(b);
    if (safe_result(p)) {
        if (!inexact_known(fflags)) {
            const auto product = typename F::Wide{odd_significand<H>(a)} * odd_significand<H>(b);
            if (product >> F::kPrecision != 0) fflags |= sf::kInexact;
        }
        return bits_of(p);
    }
    if (is_zero<H>(a) || is_zero<H>(b)) return bits_of(p);  // an exact signed zero
    return {};
}

template <typename H>
[[gnu::always_inline]] inline Result<H> div(typename Format<H>::Bits a, typename Format<H>::Bits b, sf::RoundingMode rm,
                                            uint64_t& fflags) {
    using F = Format<H>;
    if (!nearest_even_on_host(rm) || !zero_or_normal<H>(a) || !zero_or_normal<H>(b)) return {};
    if (is_zero<H>(b)) return {};  // divide by zero or invalid
    const H q = as_host<H>(a) / as_host<H>(b);
    if (safe_result(q)) {
        if (!inexact_known(fflags)) {
            const auto back = typename F::Wide{odd_significand<H>(bits_of(q))} * odd_significand<H>(b);
            if (back != odd_significand<H>(a)) fflags |= sf::kInexact;
        }
        return bits_of(q);
    }
    if (is_zero<H>(a)) return bits_of(q);  // an exact signed zero
    return {};
}

template <typename H>
[[gnu::always_inline]] inline Result<H> sqrt(typename Format<H>::Bits a, sf::RoundingMode rm, uint64_t& fflags) {
    using F = Format<H>;
    if (!nearest_even_on_host(rm) || !zero_or_normal<H>(a)) return {};
    if (is_zero<H>(a)) return a;         // sqrt(-0) is -0
    if ((a & F::kSign) != 0) return {};  // invalid
    // The root of a normal value is normal in both formats.
    H r;
    if constexpr (sizeof(H) == 4) {
        r = __builtin_sqrtf(as_host<H>(a));
    } else {
        r = __builtin_sqrt(as_host<H>(a));
    }
    if (!inexact_known(fflags)) {
        const auto odd = odd_significand<H>(bits_of(r));
        if (typename F::Wide{odd} * odd != odd_significand<H>(a)) fflags |= sf::kInexact;
    }
    return bits_of(r);
}

// A fused multiply-add instruction, where the host has one.
#if defined(__x86_64__)
__attribute__((target("fma"))) inline float host_fma(float a, float b, float c) {
    return __builtin_fmaf(a, b, c);
}
__attribute__((target("fma"))) inline double host_fma(double a, double b, double c) {
    return __builtin_fma(a, b, c);
}
inline const bool kHostFma = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("fma") != 0;
}();
#elif defined(__aarch64__)
inline float host_fma(float a, float b, float c) {
    return __builtin_fmaf(a, b, c);
}
inline double host_fma(double a, double b, double c) {
    return __builtin_fma(a, b, c);
}
inline constexpr bool kHostFma = true;
#else
template <typename H>
H host_fma(H a, H b, H c) {
    return a * b + c;  // never called
}
inline constexpr bool kHostFma = false;
#endif

// (+-a*b) +- c. A zero result is accepted only from zero operands: a nonzero product cancelled
// by c may have had bits below the smallest subnormal.
template <typename H>
[[gnu::always_inline]] inline Result<H> muladd(typename Format<H>::Bits a, typename Format<H>::Bits b,
                                               typename Format<H>::Bits c, bool negate_product, bool negate_addend,
                                               sf::RoundingMode rm, uint64_t& fflags) {
    using F = Format<H>;
    if (!nearest_even_on_host(rm) || !kHostFma || !inexact_known(fflags)) return {};
    if (!zero_or_normal<H>(a) || !zero_or_normal<H>(b) || !zero_or_normal<H>(c)) return {};
    if (negate_product) a ^= F::kSign;
    if (negate_addend) c ^= F::kSign;
    const H r = host_fma(as_host<H>(a), as_host<H>(b), as_host<H>(c));
    const bool zero_product = is_zero<H>(a) || is_zero<H>(b);
    if (!safe_result(r) && !(zero_product && is_zero<H>(c))) return {};
    return bits_of(r);
}

// feq/flt/fle raise nothing unless an operand is a NaN.
template <typename H>
bool comparable(typename Format<H>::Bits a, typename Format<H>::Bits b) {
    return kEnabled && zero_normal_or_inf<H>(a) && zero_normal_or_inf<H>(b);
}
template <typename H>
[[gnu::always_inline]] inline std::optional<bool> eq(typename Format<H>::Bits a, typename Format<H>::Bits b) {
    if (!comparable<H>(a, b)) return {};
    return as_host<H>(a) == as_host<H>(b);
}
template <typename H>
[[gnu::always_inline]] inline std::optional<bool> lt(typename Format<H>::Bits a, typename Format<H>::Bits b) {
    if (!comparable<H>(a, b)) return {};
    return as_host<H>(a) < as_host<H>(b);
}
template <typename H>
[[gnu::always_inline]] inline std::optional<bool> le(typename Format<H>::Bits a, typename Format<H>::Bits b) {
    if (!comparable<H>(a, b)) return {};
    return as_host<H>(a) <= as_host<H>(b);
}

// fcvt.d.s: exact in every rounding mode.
[[gnu::always_inline]] inline std::optional<uint64_t> widen(uint32_t a, sf::RoundingMode, uint64_t&) {
    if (!kEnabled || !zero_normal_or_inf<float>(a)) return {};
    return bits_of(double(as_host<float>(a)));
}

// fcvt.s.d.
[[gnu::always_inline]] inline std::optional<uint32_t> narrow(uint64_t a, sf::RoundingMode rm, uint64_t& fflags) {
    if (!nearest_even_on_host(rm) || !zero_or_normal<double>(a)) return {};
    const double x = as_host<double>(a);
    const float r = float(x);
    if (x != 0) {
        if (!safe_result(r)) return {};
        if (double(r) != x) fflags |= sf::kInexact;
    }
    return bits_of(r);
}

// fcvt from an integer: exact in any mode when the integer's odd part fits the significand,
// otherwise rounded by the host in round-to-nearest-even. Unsigned 64-bit integers from 2^63 up
// are left to softfloat: the host converts only signed ones in one rounding.
template <typename H, typename Int>
[[gnu::always_inline]] inline Result<H> from_int(Int v, sf::RoundingMode rm, uint64_t& fflags) {
    using F = Format<H>;
    if (!kEnabled) return {};
    if constexpr (std::is_same_v<Int, uint64_t>) {
        if (v >> 63 != 0) return {};
    }
    const auto wide = int64_t(v);
    const uint64_t mag = wide < 0 ? 0 - uint64_t(wide) : uint64_t(wide);
    if (mag != 0 && mag >> std::countr_zero(mag) >> F::kPrecision != 0) {
        if (!nearest_even_on_host(rm)) return {};
        fflags |= sf::kInexact;
    }
    return bits_of(H(wide));
}

// fcvt to an integer in round-towards-zero (C's casts) or round-to-nearest-even, on operands
// whose rounded value is in range in both (|x| below the type's largest magnitude, and x >= 0
// for unsigned types); softfloat saturates the rest.
template <typename H, typename Int>
[[gnu::always_inline]] inline std::optional<Int> to_int(typename Format<H>::Bits a, sf::RoundingMode rm,
                                                        uint64_t& fflags) {
    if (!kEnabled || !zero_or_normal<H>(a)) return {};
    const double x = as_host<H>(a);  // exact for floats
    constexpr double kLimit = sizeof(Int) == 4 ? double(std::numeric_limits<Int>::max()) : 0x1p63;
    const double low = std::is_signed_v<Int> ? -kLimit : 0.0;
    if (!(x > low || x == 0) || !(x < kLimit)) return {};  // -0 is fine for unsigned types
    int64_t r;
    if (rm == sf::RoundingMode::kTowardZero) {
        r = int64_t(x);
    } else if (rm == sf::RoundingMode::kNearestEven) {
#if defined(__x86_64__)
        r = _mm_cvtsd_si64(_mm_set_sd(x));  // rounds as MXCSR says: to nearest, even
#else
        return {};
#endif
    } else {
        return {};
    }
    // Either x is an integer or |x| < 2^52 and r converts back exactly.
    if (double(r) != x) fflags |= sf::kInexact;
    return Int(r);
}

}  // namespace mimic::riscv::hardfloat
