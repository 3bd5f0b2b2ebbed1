// Shared by the soft-float tests: encodings of special values, a table-driven case runner that
// checks result bits and the exact set of raised flags, and hex formatting for failure messages.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <string>
#include <type_traits>
#include <vector>

#include "frontends/riscv/softfloat.h"

namespace mimic::test_softfloat {

using riscv::softfloat::RoundingMode;
using riscv::softfloat::Status;

inline constexpr RoundingMode kRne = RoundingMode::kNearestEven;
inline constexpr RoundingMode kRtz = RoundingMode::kTowardZero;
inline constexpr RoundingMode kRdn = RoundingMode::kDown;
inline constexpr RoundingMode kRup = RoundingMode::kUp;
inline constexpr RoundingMode kRmm = RoundingMode::kNearestMaxMagnitude;
inline constexpr uint32_t kNX = riscv::softfloat::kInexact;
inline constexpr uint32_t kUF = riscv::softfloat::kUnderflow;
inline constexpr uint32_t kOF = riscv::softfloat::kOverflow;
inline constexpr uint32_t kDZ = riscv::softfloat::kDivByZero;
inline constexpr uint32_t kNV = riscv::softfloat::kInvalid;

namespace s {  // binary32 encodings
inline constexpr uint32_t kOne = 0x3f800000, kTwo = 0x40000000, kThree = 0x40400000;
inline constexpr uint32_t kHalf = 0x3f000000, kMOne = 0xbf800000, kPZ = 0, kNZ = 0x80000000;
inline constexpr uint32_t kPInf = 0x7f800000, kNInf = 0xff800000;
inline constexpr uint32_t kMax = 0x7f7fffff, kNMax = 0xff7fffff;
inline constexpr uint32_t kMinSub = 1, kMinNorm = 0x00800000;
inline constexpr uint32_t kNan = 0x7fc00000, kNanPayload = 0x7fc12345, kNegNan = 0xffc00001;
inline constexpr uint32_t kSNan = 0x7f800001, kNegSNan = 0xffa00000;
inline constexpr uint32_t kUlpHalf = 0x33800000;  // 2^-24, half an ulp of 1.0
}  // namespace s

namespace d {  // binary64 encodings
inline constexpr uint64_t kOne = 0x3ff0000000000000, kTwo = 0x4000000000000000;
inline constexpr uint64_t kThree = 0x4008000000000000, kHalf = 0x3fe0000000000000;
inline constexpr uint64_t kMOne = 0xbff0000000000000, kPZ = 0, kNZ = 0x8000000000000000;
inline constexpr uint64_t kPInf = 0x7ff0000000000000, kNInf = 0xfff0000000000000;
inline constexpr uint64_t kMax = 0x7fefffffffffffff, kNMax = 0xffefffffffffffff;
inline constexpr uint64_t kMinSub = 1, kMinNorm = 0x0010000000000000;
inline constexpr uint64_t kNan = 0x7ff8000000000000, kNanPayload = 0x7ff8000000012345;
inline constexpr uint64_t kNegNan = 0xfff8000000000001;
inline constexpr uint64_t kSNan = 0x7ff0000000000001, kNegSNan = 0xfff4000000000000;
inline constexpr uint64_t kUlpHalf = 0x3ca0000000000000;  // 2^-53
}  // namespace d

template <typename T>
std::string hex(T v) {
    if constexpr (std::is_same_v<T, bool>) {
        return v ? "true" : "false";
    } else {
        char buf[24];
        std::snprintf(buf, sizeof buf, "0x%0*llx", static_cast<int>(sizeof(T) * 2),
                      static_cast<unsigned long long>(static_cast<std::make_unsigned_t<T>>(v)));
        return buf;
    }
}

// One vector: operands a, b, c (unused ones are 0), expected result and exact flags raised.
template <typename T, typename R>
struct Case {
    RoundingMode rm;
    T a, b, c;
    R expected;
    uint32_t flags;
};
using C32 = Case<uint32_t, uint32_t>;
using C64 = Case<uint64_t, uint64_t>;

template <typename T, typename R, typename Op>
void run(const char* name, Op op, const std::vector<Case<T, R>>& cases) {
    for (const auto& k : cases) {
        Status st{k.rm};
        const R got = op(k.a, k.b, k.c, st);
        INFO(name << " rm=" << int(k.rm) << " a=" << hex(k.a) << " b=" << hex(k.b) << " c=" << hex(k.c));
        CHECK(hex(got) == hex(k.expected));
        CHECK(hex(st.flags) == hex(k.flags));
    }
}

// Adapters giving every operation run()'s (a, b, c, status) shape.
template <typename T, typename R>
auto binary(R (*fn)(T, T, Status&)) {
    return [fn](T a, T b, T, Status& st) { return fn(a, b, st); };
}
template <typename T, typename R>
auto unary(R (*fn)(T, Status&)) {
    return [fn](T a, T, T, Status& st) { return fn(a, st); };
}
template <typename T>
auto fused(T (*fn)(T, T, T, Status&, bool, bool), bool negate_product, bool negate_addend) {
    return [=](T a, T b, T c, Status& st) { return fn(a, b, c, st, negate_product, negate_addend); };
}

}  // namespace mimic::test_softfloat
