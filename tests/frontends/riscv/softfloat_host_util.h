// Shared by the randomized soft-float tests: a seeded operand generator biased towards special
// exponents, access to the host FPU's exception flags, and bit-level helpers for both formats.
// Only the tests touch the host FPU; the library itself is integer-only.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cfenv>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <type_traits>

#include "frontends/riscv/softfloat.h"
#include "tests/frontends/riscv/softfloat_test_util.h"

namespace mimic::test_softfloat {

// Each operation is checked on this many random operand tuples per rounding mode.
inline constexpr int kCasesPerMode = 60000;

template <typename T>
struct Traits;
template <>
struct Traits<uint32_t> {
    using Float = float;
    static constexpr int kExpBits = 8, kFracBits = 23;
    static constexpr uint32_t kCanonicalNan = 0x7fc00000;
};
template <>
struct Traits<uint64_t> {
    using Float = double;
    static constexpr int kExpBits = 11, kFracBits = 52;
    static constexpr uint64_t kCanonicalNan = 0x7ff8000000000000;
};

template <typename T>
constexpr int kBias = (1 << (Traits<T>::kExpBits - 1)) - 1;
template <typename T>
constexpr int kMaxField = (1 << Traits<T>::kExpBits) - 1;
template <typename T>
constexpr T kFracMask = (T{1} << Traits<T>::kFracBits) - 1;
template <typename T>
constexpr T kSign = T{1} << (sizeof(T) * 8 - 1);
template <typename T>
constexpr T kInfBits = T(kMaxField<T>) << Traits<T>::kFracBits;

template <typename T>
int exp_field(T x) {
    return int((x >> Traits<T>::kFracBits) & kMaxField<T>);
}
template <typename T>
bool nan_bits(T x) {
    return (x & ~kSign<T>) > kInfBits<T>;
}
template <typename T>
bool snan_bits(T x) {
    return nan_bits(x) && (x & (T{1} << (Traits<T>::kFracBits - 1))) == 0;
}
template <typename T>
auto to_host(T x) {
    return std::bit_cast<typename Traits<T>::Float>(x);
}
inline uint32_t from_host(float x) {
    return std::bit_cast<uint32_t>(x);
}
inline uint64_t from_host(double x) {
    return std::bit_cast<uint64_t>(x);
}

// Random encodings: a third uniformly random bits, the rest assembled from exponents and
// fractions where rounding, underflow and overflow are decided (0, 1, all ones, quiet bit...).
class OperandGen {
public:
    explicit OperandGen(uint64_t seed) : rng_(seed) {}

    uint64_t bits() { return rng_(); }
    uint64_t below(uint64_t n) { return rng_() % n; }

    template <typename T>
    T any() {
        if (below(3) == 0) return static_cast<T>(bits());
        return assemble<T>(below(2) != 0, special_exp<T>(), special_frac<T>());
    }

    // An operand near `other` in magnitude: additions then cancel, and products/sums land on ties.
    template <typename T>
    T near(T other) {
        constexpr int kP = Traits<T>::kFracBits + 1;
        const int delta = below(2) ? int(below(5)) - 2 : int(below(2 * kP + 7)) - (kP + 3);
        const int exp = std::clamp(exp_field(other) + delta, 0, kMaxField<T> - 1);
        T frac = other & kFracMask<T>;
        switch (below(4)) {
            case 0: frac ^= static_cast<T>(bits()) & ((T{1} << below(kP)) - 1); break;
            case 1: frac = static_cast<T>(bits()) & kFracMask<T>; break;
            case 2: frac = (frac + T(below(5)) - 2) & kFracMask<T>; break;
            default: break;
        }
        return assemble<T>(below(2) != 0, exp, frac);
    }

private:
    template <typename T>
    T assemble(bool sign, int exp, T frac) {
        return (sign ? kSign<T> : 0) | (T(exp) << Traits<T>::kFracBits) | (frac & kFracMask<T>);
    }

    template <typename T>
    int special_exp() {
        constexpr int kP = Traits<T>::kFracBits + 1;
        constexpr int kB = kBias<T>, kM = kMaxField<T>;
        switch (below(12)) {
            case 0: return 0;
            case 1: return 1 + int(below(3));
            case 2: return kM;
            case 3: return kM - 1 - int(below(3));
            case 4: return kB - 2 + int(below(5));
            case 5: return 1 + int(below(kP + 2));       // results may become subnormal
            case 6: return kM - 1 - int(below(kP + 2));  // results may overflow
            case 7: return kB / 2 + int(below(kB));      // products/quotients near the edges
            case 8: return kB + kB / 2 - int(below(kP));
            default: return int(below(kM));
        }
    }

    template <typename T>
    T special_frac() {
        constexpr int kF = Traits<T>::kFracBits;
        const T r = static_cast<T>(bits());
        switch (below(10)) {
            case 0: return 0;
            case 1: return 1 + T(below(3));
            case 2: return kFracMask<T>;
            case 3: return kFracMask<T> - T(below(4));
            case 4: return T{1} << (kF - 1);
            case 5: return r << below(kF);  // few low bits set
            case 6: return r >> below(kF);  // few high bits set
            case 7: return (T{1} << below(kF)) | (T{1} << below(kF));
            default: return r;
        }
    }

    std::mt19937_64 rng_;
};

// The library's functions for each format, so each check is written once.
template <typename T>
struct Lib;
template <>
struct Lib<uint32_t> {
    static constexpr const char* kName = "f32";
    static constexpr auto add = riscv::softfloat::f32_add, sub = riscv::softfloat::f32_sub;
    static constexpr auto mul = riscv::softfloat::f32_mul, div = riscv::softfloat::f32_div;
    static constexpr auto min = riscv::softfloat::f32_min, max = riscv::softfloat::f32_max;
    static constexpr auto sqrt = riscv::softfloat::f32_sqrt;
    static constexpr auto eq = riscv::softfloat::f32_eq, lt = riscv::softfloat::f32_lt;
    static constexpr auto le = riscv::softfloat::f32_le;
    static constexpr auto muladd = riscv::softfloat::f32_muladd;
    static constexpr auto classify = riscv::softfloat::f32_classify;
    static constexpr auto to_i32 = riscv::softfloat::f32_to_i32;
    static constexpr auto to_u32 = riscv::softfloat::f32_to_u32;
    static constexpr auto to_i64 = riscv::softfloat::f32_to_i64;
    static constexpr auto to_u64 = riscv::softfloat::f32_to_u64;
    static constexpr auto from_i32 = riscv::softfloat::i32_to_f32;
    static constexpr auto from_u32 = riscv::softfloat::u32_to_f32;
    static constexpr auto from_i64 = riscv::softfloat::i64_to_f32;
    static constexpr auto from_u64 = riscv::softfloat::u64_to_f32;
};
template <>
struct Lib<uint64_t> {
    static constexpr const char* kName = "f64";
    static constexpr auto add = riscv::softfloat::f64_add, sub = riscv::softfloat::f64_sub;
    static constexpr auto mul = riscv::softfloat::f64_mul, div = riscv::softfloat::f64_div;
    static constexpr auto min = riscv::softfloat::f64_min, max = riscv::softfloat::f64_max;
    static constexpr auto sqrt = riscv::softfloat::f64_sqrt;
    static constexpr auto eq = riscv::softfloat::f64_eq, lt = riscv::softfloat::f64_lt;
    static constexpr auto le = riscv::softfloat::f64_le;
    static constexpr auto muladd = riscv::softfloat::f64_muladd;
    static constexpr auto classify = riscv::softfloat::f64_classify;
    static constexpr auto to_i32 = riscv::softfloat::f64_to_i32;
    static constexpr auto to_u32 = riscv::softfloat::f64_to_u32;
    static constexpr auto to_i64 = riscv::softfloat::f64_to_i64;
    static constexpr auto to_u64 = riscv::softfloat::f64_to_u64;
    static constexpr auto from_i32 = riscv::softfloat::i32_to_f64;
    static constexpr auto from_u32 = riscv::softfloat::u32_to_f64;
    static constexpr auto from_i64 = riscv::softfloat::i64_to_f64;
    static constexpr auto from_u64 = riscv::softfloat::u64_to_f64;
};

// Operand tuples for one-, two- and three-operand operations and for integer sources.
template <typename T>
std::array<T, 1> one_operand(OperandGen& g) {
    return {g.any<T>()};
}
template <typename T>
std::array<T, 2> two_operands(OperandGen& g) {
    const T a = g.any<T>();
    return {a, g.below(2) != 0 ? g.near(a) : g.any<T>()};
}
// Addends near the product make the fused add cancel and land on ties.
template <typename T>
std::array<T, 3> three_operands(OperandGen& g) {
    const T a = g.any<T>();
    const T b = g.below(4) != 0 ? g.any<T>() : g.near(a);
    Status st{kRne};
    switch (g.below(3)) {
        case 0: return {a, b, g.any<T>()};
        case 1: return {a, b, g.near(a)};
        default: return {a, b, g.near(Lib<T>::mul(a, b, st))};
    }
}
template <typename I>
std::array<I, 1> int_operand(OperandGen& g) {
    uint64_t v = 0;
    switch (g.below(4)) {
        case 0: v = g.bits(); break;
        case 1: v = g.bits() >> g.below(64); break;
        case 2: v = (uint64_t{1} << g.below(64)) + g.below(9) - 4; break;  // ties near powers of 2
        default: v = 0 - (g.bits() >> g.below(64)); break;
    }
    return {static_cast<I>(v)};
}

#if defined(__x86_64__)
// Callers must check __builtin_cpu_supports("fma").
__attribute__((target("fma"))) inline float host_fma(float a, float b, float c) {
    return __builtin_fmaf(a, b, c);
}
__attribute__((target("fma"))) inline double host_fma(double a, double b, double c) {
    return __builtin_fma(a, b, c);
}
#endif

inline uint32_t host_flags() {
    const int e = std::fetestexcept(FE_ALL_EXCEPT);
    return ((e & FE_INEXACT) ? kNX : 0) | ((e & FE_UNDERFLOW) ? kUF : 0) | ((e & FE_OVERFLOW) ? kOF : 0) |
           ((e & FE_DIVBYZERO) ? kDZ : 0) | ((e & FE_INVALID) ? kNV : 0);
}

// Runs fn (which must compute through volatiles so the compiler cannot fold or move the
// operation) with the host flags cleared, and stores the flags it raised.
template <typename Fn>
auto host_run(uint32_t& flags, Fn fn) {
    std::feclearexcept(FE_ALL_EXCEPT);
    const auto result = fn();
    flags = host_flags();
    return result;
}

// Collects mismatches so that millions of agreeing cases cost no Catch assertions; the first
// few disagreements are reported in full.
class Mismatches {
public:
    template <typename Describe>
    void check(bool ok, Describe describe) {
        ++cases_;
        if (ok) return;
        if (++count_ <= 10) FAIL_CHECK(describe());
    }
    long cases() const { return cases_; }
    long count() const { return count_; }

private:
    long cases_ = 0;
    long count_ = 0;
};

// RISC-V returns the canonical NaN where the host returns its default NaN or a payload.
template <typename T>
T canonical(T bits) {
    return nan_bits(bits) ? Traits<T>::kCanonicalNan : bits;
}

struct Mode {
    int host;  // FE_* for std::fesetround
    RoundingMode rm;
};
inline constexpr Mode kIeeeModes[] = {
    {FE_TONEAREST, kRne}, {FE_TOWARDZERO, kRtz}, {FE_DOWNWARD, kRdn}, {FE_UPWARD, kRup}};

inline uint64_t seed_of(const std::string& name) {  // FNV-1a: a fixed stream per operation
    uint64_t h = 0xcbf29ce484222325;
    for (const char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3;
    return h;
}

// Checks `ours` (library) against `ref` (host-based reference) on kCasesPerMode operand tuples
// from `draw` in each mode. ref runs with the host rounding mode already set and returns the
// expected result and flags; both results are compared exactly.
template <typename Draw, typename Ours, typename Ref>
void differential(const std::string& name, std::span<const Mode> modes, Draw draw, Ours ours, Ref ref) {
    OperandGen gen(seed_of(name));
    Mismatches mismatches;
    for (const Mode& mode : modes) {
        std::fesetround(mode.host);
        for (int i = 0; i < kCasesPerMode; ++i) {
            const auto ops = draw(gen);
            Status st{mode.rm};
            const auto got = ours(ops, st);
            uint32_t want_flags = 0;
            const auto want = ref(ops, want_flags);
            mismatches.check(got == want && st.flags == want_flags, [&] {
                std::string text = name + " rm=" + std::to_string(int(mode.rm)) + " ops=";
                for (const auto op : ops) text += hex(op) + " ";
                return text + "ours=" + hex(got) + "/" + hex(st.flags) + " ref=" + hex(want) + "/" + hex(want_flags);
            });
        }
    }
    std::fesetround(FE_TONEAREST);
    INFO(name);
    CHECK(mismatches.count() == 0);
    CHECK(mismatches.cases() == long(modes.size()) * kCasesPerMode);
}

}  // namespace mimic::test_softfloat
