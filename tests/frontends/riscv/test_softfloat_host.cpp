// Randomized differential test against the host x86-64 SSE unit in the four IEEE rounding modes:
// every result (NaN-ness only, for NaNs) and all five exception flags must agree. x86 also
// detects tininess after rounding, so underflow is comparable flag for flag.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <type_traits>

#include "tests/frontends/riscv/softfloat_host_util.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace sf = mimic::riscv::softfloat;
using namespace mimic::test_softfloat;

#if defined(__x86_64__)
namespace {

// Host float operation on the operands (copied into volatiles) giving float bits.
template <typename T, typename Op>
auto host_float(Op op) {
    return [op](const auto& ops, uint32_t& flags) -> T {
        using F = typename Traits<T>::Float;
        return canonical(from_host(host_run(flags, [&] {
            std::array<volatile F, std::tuple_size_v<std::decay_t<decltype(ops)>>> v;
            for (size_t i = 0; i < ops.size(); ++i) v[i] = to_host(ops[i]);
            volatile F r = op(v);
            return F(r);
        })));
    };
}

template <typename T, typename Op>
auto host_compare(Op op) {
    return [op](const std::array<T, 2>& ops, uint32_t& flags) -> bool {
        using F = typename Traits<T>::Float;
        return host_run(flags, [&] {
            volatile F x = to_host(ops[0]), y = to_host(ops[1]);
            volatile bool r = op(F(x), F(y));
            return bool(r);
        });
    };
}

// minimumNumber/maximumNumber from their definition; x86 minss/maxss differ on NaNs and zeros.
template <typename T>
T ref_min_max(T a, T b, bool want_max, uint32_t& flags) {
    flags = (snan_bits(a) || snan_bits(b)) ? kNV : 0;
    if (nan_bits(a)) return nan_bits(b) ? Traits<T>::kCanonicalNan : b;
    if (nan_bits(b)) return a;
    const auto x = to_host(a), y = to_host(b);
    if (x == y) return std::signbit(x) != want_max ? a : b;
    return (x < y) != want_max ? a : b;
}

template <typename T>
uint32_t ref_classify(T a) {
    const auto x = to_host(a);
    const int neg = std::signbit(x) ? 1 : 0;
    switch (std::fpclassify(x)) {
        case FP_NAN: return snan_bits(a) ? sf::kClassSignalingNan : sf::kClassQuietNan;
        case FP_INFINITE: return neg ? sf::kClassNegInf : sf::kClassPosInf;
        case FP_ZERO: return neg ? sf::kClassNegZero : sf::kClassPosZero;
        case FP_SUBNORMAL: return neg ? sf::kClassNegSubnormal : sf::kClassPosSubnormal;
        default: return neg ? sf::kClassNegNormal : sf::kClassPosNormal;
    }
}

// cvtss2si/cvtsd2si in the current rounding mode, to a 32- or 64-bit signed integer.
template <typename I, typename F>
I host_cvt(F x, uint32_t& flags) {
    return host_run(flags, [&] {
        volatile F vx = x;
        volatile I r;
        if constexpr (std::is_same_v<F, float>) {
            if constexpr (sizeof(I) == 4)
                r = _mm_cvtss_si32(_mm_set_ss(vx));
            else
                r = _mm_cvtss_si64(_mm_set_ss(vx));
        } else {
            if constexpr (sizeof(I) == 4)
                r = _mm_cvtsd_si32(_mm_set_sd(vx));
            else
                r = _mm_cvtsd_si64(_mm_set_sd(vx));
        }
        return I(r);
    });
}

// The host rounds to a signed integer and flags out-of-range inputs; narrower unsigned ranges and
// the saturated results come from the RISC-V fcvt table.
template <typename T, typename Int>
Int ref_to_int(T a, uint32_t& flags) {
    using L = std::numeric_limits<Int>;
    const auto x = to_host(a);
    const auto invalid = [&] {
        flags = kNV;
        return !nan_bits(a) && std::signbit(x) ? L::min() : L::max();
    };
    if constexpr (std::is_signed_v<Int>) {
        const Int r = host_cvt<Int>(x, flags);
        return (flags & kNV) != 0 ? invalid() : r;
    } else {
        // x86 has no unsigned conversion: values from 2^63 up are converted less 2^63 (exactly).
        const decltype(x) two63 = 0x1p63;
        const bool high = !nan_bits(a) && x >= two63;
        const int64_t r = host_cvt<int64_t>(high ? x - two63 : x, flags);
        if ((flags & kNV) != 0 || r < 0) return invalid();
        const uint64_t value = uint64_t(r) + (high ? uint64_t{1} << 63 : 0);
        if (value > L::max()) return invalid();
        return static_cast<Int>(value);
    }
}

template <typename T, typename I>
T ref_from_int(I v, uint32_t& flags) {
    using F = typename Traits<T>::Float;
    return from_host(host_run(flags, [&] {
        volatile I x = v;
        volatile F r = static_cast<F>(x);
        return F(r);
    }));
}

template <typename T>
void arithmetic_against_host() {
    using L = Lib<T>;
    const std::string p = L::kName;
    const auto lib2 = [](auto fn) {
        return [fn](const std::array<T, 2>& o, Status& st) { return fn(o[0], o[1], st); };
    };
    differential(p + "_add", kIeeeModes, two_operands<T>, lib2(L::add),
                 host_float<T>([](auto& v) { return v[0] + v[1]; }));
    differential(p + "_sub", kIeeeModes, two_operands<T>, lib2(L::sub),
                 host_float<T>([](auto& v) { return v[0] - v[1]; }));
    differential(p + "_mul", kIeeeModes, two_operands<T>, lib2(L::mul),
                 host_float<T>([](auto& v) { return v[0] * v[1]; }));
    differential(p + "_div", kIeeeModes, two_operands<T>, lib2(L::div),
                 host_float<T>([](auto& v) { return v[0] / v[1]; }));
    differential(
        p + "_sqrt", kIeeeModes, one_operand<T>,
        [](const std::array<T, 1>& o, Status& st) { return L::sqrt(o[0], st); },
        host_float<T>([](auto& v) { return std::sqrt(v[0]); }));
    differential(p + "_min", kIeeeModes, two_operands<T>, lib2(L::min),
                 [](const std::array<T, 2>& o, uint32_t& f) { return ref_min_max(o[0], o[1], false, f); });
    differential(p + "_max", kIeeeModes, two_operands<T>, lib2(L::max),
                 [](const std::array<T, 2>& o, uint32_t& f) { return ref_min_max(o[0], o[1], true, f); });
    differential(p + "_eq", kIeeeModes, two_operands<T>, lib2(L::eq),
                 host_compare<T>([](auto x, auto y) { return x == y; }));
    differential(p + "_lt", kIeeeModes, two_operands<T>, lib2(L::lt),
                 host_compare<T>([](auto x, auto y) { return x < y; }));
    differential(p + "_le", kIeeeModes, two_operands<T>, lib2(L::le),
                 host_compare<T>([](auto x, auto y) { return x <= y; }));
    differential(
        p + "_classify", kIeeeModes, one_operand<T>,
        [](const std::array<T, 1>& o, Status&) { return L::classify(o[0]); },
        [](const std::array<T, 1>& o, uint32_t& f) {
            f = 0;
            return ref_classify(o[0]);
        });
}

// RISC-V raises invalid for inf*0 even when the addend is a quiet NaN; x86 (like IEEE 754,
// which leaves this case open) does not, so the host reference is amended here.
template <typename T, typename Ref>
auto riscv_fma(Ref ref) {
    return [ref](const std::array<T, 3>& o, uint32_t& flags) -> T {
        const T r = ref(o, flags);
        const auto x = to_host(o[0]), y = to_host(o[1]);
        if ((std::isinf(x) && y == 0) || (x == 0 && std::isinf(y))) flags |= kNV;
        return r;
    };
}

template <typename T>
void fused_against_host() {
    using L = Lib<T>;
    const std::string p = L::kName;
    const auto lib3 = [](bool np, bool na) {
        return [=](const std::array<T, 3>& o, Status& st) { return L::muladd(o[0], o[1], o[2], st, np, na); };
    };
    differential(p + "_fmadd", kIeeeModes, three_operands<T>, lib3(false, false),
                 riscv_fma<T>(host_float<T>([](auto& v) { return host_fma(v[0], v[1], v[2]); })));
    differential(p + "_fmsub", kIeeeModes, three_operands<T>, lib3(false, true),
                 riscv_fma<T>(host_float<T>([](auto& v) { return host_fma(v[0], v[1], -v[2]); })));
    differential(p + "_fnmsub", kIeeeModes, three_operands<T>, lib3(true, false),
                 riscv_fma<T>(host_float<T>([](auto& v) { return host_fma(-v[0], v[1], v[2]); })));
    differential(p + "_fnmadd", kIeeeModes, three_operands<T>, lib3(true, true),
                 riscv_fma<T>(host_float<T>([](auto& v) { return host_fma(-v[0], v[1], -v[2]); })));
}

template <typename T>
void conversions_against_host() {
    using L = Lib<T>;
    const std::string p = L::kName;
    const auto to_int = [&](const char* suffix, auto fn, auto ref) {
        differential(
            p + suffix, kIeeeModes, one_operand<T>,
            [fn](const std::array<T, 1>& o, Status& st) { return fn(o[0], st); },
            [ref](const std::array<T, 1>& o, uint32_t& f) { return ref(o[0], f); });
    };
    to_int("_to_i32", L::to_i32, ref_to_int<T, int32_t>);
    to_int("_to_u32", L::to_u32, ref_to_int<T, uint32_t>);
    to_int("_to_i64", L::to_i64, ref_to_int<T, int64_t>);
    to_int("_to_u64", L::to_u64, ref_to_int<T, uint64_t>);
    const auto from_int = [&](const char* prefix, auto fn, auto draw) {
        using I = typename decltype(draw(std::declval<OperandGen&>()))::value_type;
        differential(
            prefix + p, kIeeeModes, draw, [fn](const std::array<I, 1>& o, Status& st) { return fn(o[0], st); },
            [](const std::array<I, 1>& o, uint32_t& f) { return ref_from_int<T>(o[0], f); });
    };
    from_int("i32_to_", L::from_i32, int_operand<int32_t>);
    from_int("u32_to_", L::from_u32, int_operand<uint32_t>);
    from_int("i64_to_", L::from_i64, int_operand<int64_t>);
    from_int("u64_to_", L::from_u64, int_operand<uint64_t>);
}

}  // namespace

TEST_CASE("f32 arithmetic, compares and classify agree with the host FPU", "[softfloat][host]") {
    arithmetic_against_host<uint32_t>();
}

TEST_CASE("f64 arithmetic, compares and classify agree with the host FPU", "[softfloat][host]") {
    arithmetic_against_host<uint64_t>();
}

TEST_CASE("fused multiply-add agrees with the host FMA unit", "[softfloat][host]") {
    if (!__builtin_cpu_supports("fma")) {
        WARN("host CPU has no FMA instructions; fused multiply-add not cross-checked");
        return;
    }
    fused_against_host<uint32_t>();
    fused_against_host<uint64_t>();
}

TEST_CASE("integer conversions agree with the host FPU", "[softfloat][host]") {
    conversions_against_host<uint32_t>();
    conversions_against_host<uint64_t>();
}

TEST_CASE("f32 <-> f64 conversions agree with the host FPU", "[softfloat][host]") {
    differential(
        "f32_to_f64", kIeeeModes, one_operand<uint32_t>,
        [](const std::array<uint32_t, 1>& o, Status& st) { return sf::f32_to_f64(o[0], st); },
        [](const std::array<uint32_t, 1>& o, uint32_t& flags) {
            return canonical(from_host(host_run(flags, [&] {
                volatile float x = to_host(o[0]);
                volatile double r = x;
                return double(r);
            })));
        });
    // Doubles in and around the binary32 range, with bits below binary32 precision.
    const auto narrowable = [](OperandGen& g) -> std::array<uint64_t, 1> {
        Status st{kRne};
        const uint64_t widened = sf::f32_to_f64(g.any<uint32_t>(), st);
        switch (g.below(4)) {
            case 0: return {g.any<uint64_t>()};
            case 1: return {g.near(widened)};
            default: return {widened ^ (g.bits() & ((uint64_t{1} << 29) - 1))};
        }
    };
    differential(
        "f64_to_f32", kIeeeModes, narrowable,
        [](const std::array<uint64_t, 1>& o, Status& st) { return sf::f64_to_f32(o[0], st); },
        [](const std::array<uint64_t, 1>& o, uint32_t& flags) {
            return canonical(from_host(host_run(flags, [&] {
                volatile double x = to_host(o[0]);
                volatile float r = static_cast<float>(x);
                return float(r);
            })));
        });
}

#else
TEST_CASE("host FPU cross-check needs an x86-64 host", "[softfloat][host]") {
    WARN("not x86-64: randomized cross-check against the host FPU skipped");
}
#endif
