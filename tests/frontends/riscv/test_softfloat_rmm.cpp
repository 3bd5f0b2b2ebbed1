// Randomized check of RMM (round to nearest, ties to max magnitude), which x86 lacks. The
// reference computes each operation in a wider host format (double for binary32, x87 long double
// for binary64) rounding to odd, which keeps enough information to round once more correctly.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "tests/frontends/riscv/softfloat_host_util.h"

namespace sf = mimic::riscv::softfloat;
using namespace mimic::test_softfloat;

#if defined(__x86_64__)
namespace {

// The reference's host operations truncate (FE_TOWARDZERO); the library runs in RMM. Repeating
// the mode gives as many cases as the IEEE-mode checks.
constexpr Mode kRmmModes[] = {
    {FE_TOWARDZERO, kRmm}, {FE_TOWARDZERO, kRmm}, {FE_TOWARDZERO, kRmm}, {FE_TOWARDZERO, kRmm}};

// Wide format: at least two bits more precision than T and an exponent range that makes every
// exact result of T's operations normal.
template <typename T>
using Wide = std::conditional_t<sizeof(T) == 4, double, long double>;

// The value of a magnitude encoding with an unbounded exponent: one past the largest finite
// number reads as 2^(emax+1) instead of infinity.
template <typename T, typename W>
W unbounded_value(T mag) {
    const int field = exp_field(mag);
    const T frac = mag & kFracMask<T>;
    const W sig = static_cast<W>(field == 0 ? frac : frac | (T{1} << Traits<T>::kFracBits));
    return std::ldexp(sig, std::max(field, 1) - kBias<T> - Traits<T>::kFracBits);
}

// Rounds w (exact, or rounded to odd in a format with >= 2 more bits) to T, ties away from
// zero, adding NX/UF/OF as RISC-V defines them (tininess after rounding). Must run in RTZ.
template <typename T, typename W>
T narrow_rmm(W w, uint32_t& flags) {
    using F = typename Traits<T>::Float;
    if (std::isnan(w)) return Traits<T>::kCanonicalNan;
    const T sign = std::signbit(w) ? kSign<T> : 0;
    if (std::isinf(w)) return kInfBits<T> | sign;
    const W a = std::fabs(w);
    if (a == 0) return sign;
    const T lo = from_host(static_cast<F>(a));  // truncated, saturating at the largest finite
    const W lo_value = unbounded_value<T, W>(lo);
    if (lo_value == a) return lo | sign;
    flags |= kNX;
    const W mid = (lo_value + unbounded_value<T, W>(lo + 1)) / 2;
    T mag = a >= mid ? lo + 1 : lo;
    // Tiny if even rounding to full precision stays below 2^emin: below its last midpoint.
    const W min_normal = std::ldexp(W(1), 1 - kBias<T>);
    if (a < min_normal - std::ldexp(W(1), -kBias<T> - Traits<T>::kFracBits - 1)) flags |= kUF;
    if (mag >= kInfBits<T>) {
        flags |= kOF;
        mag = kInfBits<T>;
    }
    return mag | sign;
}

template <typename W>
W jam_last_bit(W w) {
    if constexpr (std::is_same_v<W, double>) {
        return std::bit_cast<double>(std::bit_cast<uint64_t>(w) | 1);
    } else {
        uint64_t mantissa;  // x87 extended: 64-bit significand in the low eight bytes
        std::memcpy(&mantissa, &w, sizeof mantissa);
        mantissa |= 1;
        std::memcpy(&w, &mantissa, sizeof mantissa);
        return w;
    }
}

// Reference for an operation: op on the widened operands (volatile, in RTZ), rounded to odd,
// then narrowed in RMM. NV and DZ come from the wide operation, the rest from the narrowing.
template <typename T, size_t N, typename Op>
auto rmm_reference(Op op) {
    return [op](const std::array<T, N>& ops, uint32_t& flags) -> T {
        using W = Wide<T>;
        uint32_t wide_flags = 0;
        W r = host_run(wide_flags, [&] {
            std::array<volatile W, N> v;
            for (size_t i = 0; i < N; ++i) v[i] = static_cast<W>(to_host(ops[i]));
            volatile W result = op(v);
            return W(result);
        });
        if ((wide_flags & kNX) != 0 && std::isfinite(r)) r = jam_last_bit(r);
        flags = wide_flags & (kNV | kDZ);
        return narrow_rmm<T>(r, flags);
    };
}

__attribute__((target("fma"))) double wide_fma(double a, double b, double c) {
    return __builtin_fma(a, b, c);
}
long double wide_fma(long double a, long double b, long double c) {
    return fmal(a, b, c);
}

// fcvt to integer in RMM: std::round is exact and ties away; range checks per the fcvt table.
template <typename T, typename Int>
Int rmm_to_int(T a, uint32_t& flags) {
    using L = std::numeric_limits<Int>;
    const long double x = to_host(a);
    flags = 0;
    if (std::isnan(x)) {
        flags = kNV;
        return L::max();
    }
    const long double r = std::round(x);
    if (r < static_cast<long double>(L::min()) || r > static_cast<long double>(L::max())) {
        flags = kNV;
        return r < 0 ? L::min() : L::max();
    }
    if (r != x) flags = kNX;
    return static_cast<Int>(r);
}

template <typename T>
void arithmetic_in_rmm() {
    using L = Lib<T>;
    const std::string p = std::string(L::kName) + "_rmm";
    const auto lib2 = [](auto fn) {
        return [fn](const std::array<T, 2>& o, Status& st) { return fn(o[0], o[1], st); };
    };
    differential(p + "_add", kRmmModes, two_operands<T>, lib2(L::add),
                 rmm_reference<T, 2>([](auto& v) { return v[0] + v[1]; }));
    differential(p + "_sub", kRmmModes, two_operands<T>, lib2(L::sub),
                 rmm_reference<T, 2>([](auto& v) { return v[0] - v[1]; }));
    differential(p + "_mul", kRmmModes, two_operands<T>, lib2(L::mul),
                 rmm_reference<T, 2>([](auto& v) { return v[0] * v[1]; }));
    differential(p + "_div", kRmmModes, two_operands<T>, lib2(L::div),
                 rmm_reference<T, 2>([](auto& v) { return v[0] / v[1]; }));
    differential(
        p + "_sqrt", kRmmModes, one_operand<T>, [](const std::array<T, 1>& o, Status& st) { return L::sqrt(o[0], st); },
        rmm_reference<T, 1>([](auto& v) { return std::sqrt(v[0]); }));
    if (__builtin_cpu_supports("fma")) {
        differential(
            p + "_fmadd", kRmmModes, three_operands<T>,
            [](const std::array<T, 3>& o, Status& st) { return L::muladd(o[0], o[1], o[2], st, 0, 0); },
            rmm_reference<T, 3>([](auto& v) { return wide_fma(v[0], v[1], v[2]); }));
    }
}

template <typename T>
void conversions_in_rmm() {
    using L = Lib<T>;
    const std::string p = std::string(L::kName) + "_rmm";
    const auto to_int = [&](const char* suffix, auto fn, auto ref) {
        differential(
            p + suffix, kRmmModes, one_operand<T>, [fn](const std::array<T, 1>& o, Status& st) { return fn(o[0], st); },
            [ref](const std::array<T, 1>& o, uint32_t& f) { return ref(o[0], f); });
    };
    to_int("_to_i32", L::to_i32, rmm_to_int<T, int32_t>);
    to_int("_to_u32", L::to_u32, rmm_to_int<T, uint32_t>);
    to_int("_to_i64", L::to_i64, rmm_to_int<T, int64_t>);
    to_int("_to_u64", L::to_u64, rmm_to_int<T, uint64_t>);
    const auto from_int = [&](const char* prefix, auto fn, auto draw) {
        using I = typename decltype(draw(std::declval<OperandGen&>()))::value_type;
        differential(
            prefix + p, kRmmModes, draw, [fn](const std::array<I, 1>& o, Status& st) { return fn(o[0], st); },
            [](const std::array<I, 1>& o, uint32_t& f) {
                f = 0;  // 64-bit integers are exact in long double
                return narrow_rmm<T>(static_cast<long double>(o[0]), f);
            });
    };
    from_int("i32_to_", L::from_i32, int_operand<int32_t>);
    from_int("u32_to_", L::from_u32, int_operand<uint32_t>);
    from_int("i64_to_", L::from_i64, int_operand<int64_t>);
    from_int("u64_to_", L::from_u64, int_operand<uint64_t>);
}

}  // namespace

TEST_CASE("f32 arithmetic in RMM matches a round-to-odd reference", "[softfloat][host]") {
    arithmetic_in_rmm<uint32_t>();
}

TEST_CASE("f64 arithmetic in RMM matches a round-to-odd reference", "[softfloat][host]") {
    arithmetic_in_rmm<uint64_t>();
}

TEST_CASE("conversions in RMM match exact references", "[softfloat][host]") {
    conversions_in_rmm<uint32_t>();
    conversions_in_rmm<uint64_t>();
    // Narrowing f64 -> f32: the double operand is itself the exact value.
    const auto narrowable = [](OperandGen& g) -> std::array<uint64_t, 1> {
        Status st{kRne};
        const uint64_t widened = sf::f32_to_f64(g.any<uint32_t>(), st);
        if (g.below(4) == 0) return {g.any<uint64_t>()};
        return {widened ^ (g.bits() & ((uint64_t{1} << 29) - 1))};
    };
    differential(
        "f64_to_f32_rmm", kRmmModes, narrowable,
        [](const std::array<uint64_t, 1>& o, Status& st) { return sf::f64_to_f32(o[0], st); },
        [](const std::array<uint64_t, 1>& o, uint32_t& flags) {
            flags = snan_bits(o[0]) ? kNV : 0;
            return narrow_rmm<uint32_t>(to_host(o[0]), flags);
        });
}
#endif
