// Conversions between binary32, binary64 and 32/64-bit integers (fcvt.*).
#include <limits>
#include <type_traits>

#include "frontends/riscv/softfloat.h"
#include "frontends/riscv/softfloat_internal.h"

namespace mimic::riscv::softfloat {
namespace {

using detail::F32;
using detail::F64;
using detail::U128;

// Rounds to an integer in the current mode and saturates as the RISC-V fcvt table says. An
// invalid conversion raises only NV, never NX as well.
template <typename F, typename Int>
Int to_int(typename F::Bits a, Status& st) {
    using namespace detail;
    using Limits = std::numeric_limits<Int>;
    using UInt = std::make_unsigned_t<Int>;
    const auto invalid = [&st](bool negative) {
        st.flags |= kInvalid;
        return negative ? Limits::min() : Limits::max();
    };
    if (is_nan<F>(a)) return invalid(false);
    const bool sign = sign_of<F>(a);
    if (is_inf<F>(a)) return invalid(sign);
    if (is_zero<F>(a)) return 0;
    const auto u = unpack<F>(a);
    // Every destination holds less than 2^64, so a leading one at 2^64 or above is out of range;
    // below that the magnitude fits a 64.64 fixed-point number (tiny tails jammed into bit 0).
    if (u.exp + F::kPrecision - 1 >= 64) return invalid(sign);
    const int point = u.exp + 64;
    const U128 fixed = point >= 0 ? U128{u.sig} << point : shift_right_jam(U128{u.sig}, -point);
    const auto whole = static_cast<uint64_t>(fixed >> 64);
    const auto fraction = static_cast<uint64_t>(fixed);
    const bool up = rounds_away(st.rm, sign, (whole & 1) != 0, fraction, uint64_t{1} << 63);
    const U128 rounded = U128{whole} + (up ? 1 : 0);  // may reach 2^64
    // Negative results reach one further than positive ones for signed types, and only -0 is a
    // valid negative result for unsigned ones.
    const U128 max_magnitude = U128{static_cast<UInt>(Limits::max())} + ((sign && Limits::is_signed) ? 1 : 0);
    const bool in_range = sign && !Limits::is_signed ? rounded == 0 : rounded <= max_magnitude;
    if (!in_range) return invalid(sign);
    if (fraction != 0) st.flags |= kInexact;
    const auto bits = static_cast<UInt>(rounded);
    return static_cast<Int>(sign ? static_cast<UInt>(UInt{0} - bits) : bits);
}

template <typename F, typename Int>
typename F::Bits from_int(Int a, Status& st) {
    if (a == 0) return 0;  // +0, never -0
    using UInt = std::make_unsigned_t<Int>;
    const bool sign = a < 0;
    const UInt mag = sign ? static_cast<UInt>(UInt{0} - static_cast<UInt>(a)) : static_cast<UInt>(a);
    return detail::round_pack<F>(sign, 0, typename F::Wide{mag}, st);
}

template <typename To, typename From>
typename To::Bits convert_float(typename From::Bits a, Status& st) {
    using namespace detail;
    if (is_nan<From>(a)) {
        if (is_signaling_nan<From>(a)) st.flags |= kInvalid;
        return To::kCanonicalNan;
    }
    const bool sign = sign_of<From>(a);
    if (is_inf<From>(a)) return signed_inf<To>(sign);
    if (is_zero<From>(a)) return signed_zero<To>(sign);
    const auto u = unpack<From>(a);
    return round_pack<To>(sign, u.exp, static_cast<typename To::Wide>(u.sig), st);
}

}  // namespace

int32_t f32_to_i32(uint32_t a, Status& st) {
    return to_int<F32, int32_t>(a, st);
}
uint32_t f32_to_u32(uint32_t a, Status& st) {
    return to_int<F32, uint32_t>(a, st);
}
int64_t f32_to_i64(uint32_t a, Status& st) {
    return to_int<F32, int64_t>(a, st);
}
uint64_t f32_to_u64(uint32_t a, Status& st) {
    return to_int<F32, uint64_t>(a, st);
}
uint32_t i32_to_f32(int32_t a, Status& st) {
    return from_int<F32>(a, st);
}
uint32_t u32_to_f32(uint32_t a, Status& st) {
    return from_int<F32>(a, st);
}
uint32_t i64_to_f32(int64_t a, Status& st) {
    return from_int<F32>(a, st);
}
uint32_t u64_to_f32(uint64_t a, Status& st) {
    return from_int<F32>(a, st);
}

int32_t f64_to_i32(uint64_t a, Status& st) {
    return to_int<F64, int32_t>(a, st);
}
uint32_t f64_to_u32(uint64_t a, Status& st) {
    return to_int<F64, uint32_t>(a, st);
}
int64_t f64_to_i64(uint64_t a, Status& st) {
    return to_int<F64, int64_t>(a, st);
}
uint64_t f64_to_u64(uint64_t a, Status& st) {
    return to_int<F64, uint64_t>(a, st);
}
uint64_t i32_to_f64(int32_t a, Status& st) {
    return from_int<F64>(a, st);
}
uint64_t u32_to_f64(uint32_t a, Status& st) {
    return from_int<F64>(a, st);
}
uint64_t i64_to_f64(int64_t a, Status& st) {
    return from_int<F64>(a, st);
}
uint64_t u64_to_f64(uint64_t a, Status& st) {
    return from_int<F64>(a, st);
}

uint64_t f32_to_f64(uint32_t a, Status& st) {
    return convert_float<F64, F32>(a, st);
}
uint32_t f64_to_f32(uint64_t a, Status& st) {
    return convert_float<F32, F64>(a, st);
}

}  // namespace mimic::riscv::softfloat
