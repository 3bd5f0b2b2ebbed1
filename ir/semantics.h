// The meaning of every pure IR operation, written once. The constant folder and the interpreter both
// use these, so a folded block and an executed one can never disagree.
#pragma once

#include <bit>
#include <cstdint>
#include <type_traits>

#include "ir/types.h"

namespace mimic::ir::sem {

template <typename T>
using S = std::make_signed_t<T>;
template <typename T>
constexpr unsigned kBits = sizeof(T) * 8;

template <typename T>
constexpr T add(T a, T b) {
    return a + b;
}
template <typename T>
constexpr T sub(T a, T b) {
    return a - b;
}
template <typename T>
constexpr T mul(T a, T b) {
    return T(a * b);
}

template <typename T>
constexpr T mul_high_u(T a, T b) {
    if constexpr (sizeof(T) == 8)
        return T((unsigned __int128)a * b >> 64);
    else
        return T(uint64_t(a) * b >> 32);
}
template <typename T>
constexpr T mul_high_s(T a, T b) {
    if constexpr (sizeof(T) == 8)
        return T((__int128)S<T>(a) * S<T>(b) >> 64);
    else
        return T(int64_t(S<T>(a)) * S<T>(b) >> 32);
}
template <typename T>
constexpr T mul_high_su(T a, T b) {
    if constexpr (sizeof(T) == 8)
        return T(uint64_t((__int128)S<T>(a) * (unsigned __int128)b >> 64));
    else
        return T(uint64_t(int64_t(S<T>(a)) * int64_t(b)) >> 32);
}

// Division is total (see opcodes.inc).
template <typename T>
constexpr T div_u(T a, T b) {
    return b == 0 ? T(~T(0)) : T(a / b);
}
template <typename T>
constexpr T rem_u(T a, T b) {
    return b == 0 ? a : T(a % b);
}
template <typename T>
constexpr bool div_overflows(T a, T b) {
    return a == T(T(1) << (kBits<T> - 1)) && b == T(~T(0));
}
template <typename T>
constexpr T div_s(T a, T b) {
    if (b == 0) return T(~T(0));
    if (div_overflows(a, b)) return a;
    return T(S<T>(a) / S<T>(b));
}
template <typename T>
constexpr T rem_s(T a, T b) {
    if (b == 0) return a;
    if (div_overflows(a, b)) return 0;
    return T(S<T>(a) % S<T>(b));
}

template <typename T>
constexpr T shl(T a, T b) {
    return T(a << (b & (kBits<T> - 1)));
}
template <typename T>
constexpr T shr_u(T a, T b) {
    return T(a >> (b & (kBits<T> - 1)));
}
template <typename T>
constexpr T shr_s(T a, T b) {
    return T(S<T>(a) >> (b & (kBits<T> - 1)));
}
template <typename T>
constexpr T rotl(T a, T b) {
    return std::rotl(a, int(b & (kBits<T> - 1)));
}
template <typename T>
constexpr T rotr(T a, T b) {
    return std::rotr(a, int(b & (kBits<T> - 1)));
}
template <typename T>
constexpr T clz(T a) {
    return T(std::countl_zero(a));
}
template <typename T>
constexpr T ctz(T a) {
    return T(std::countr_zero(a));
}
template <typename T>
constexpr T popcount(T a) {
    return T(std::popcount(a));
}
template <typename T>
constexpr T byteswap(T a) {
    if constexpr (sizeof(T) == 8)
        return __builtin_bswap64(a);
    else
        return __builtin_bswap32(a);
}
template <typename T>
constexpr T sign_extend(T a, unsigned bits) {
    const unsigned shift = kBits<T> - bits;
    return T(S<T>(T(a << shift)) >> shift);
}
template <typename T>
constexpr T zero_extend(T a, unsigned bits) {
    return bits >= kBits<T> ? a : T(a & ((T(1) << bits) - 1));
}

template <typename T>
constexpr bool compare(Cond c, T a, T b) {
    switch (c) {
        case Cond::kEq: return a == b;
        case Cond::kNe: return a != b;
        case Cond::kLtS: return S<T>(a) < S<T>(b);
        case Cond::kGeS: return S<T>(a) >= S<T>(b);
        case Cond::kLtU: return a < b;
        case Cond::kGeU: return a >= b;
        case Cond::kLeS: return S<T>(a) <= S<T>(b);
        case Cond::kGtS: return S<T>(a) > S<T>(b);
        case Cond::kLeU: return a <= b;
        case Cond::kGtU: return a > b;
    }
    return false;
}

}  // namespace mimic::ir::sem
