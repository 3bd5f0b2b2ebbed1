// IEEE 754 binary32/binary64 arithmetic with RISC-V F/D semantics, computed with integers only so
// that results and fflags are bit-identical on every host and the functions are thread-safe.
#pragma once

#include <cstdint>

namespace mimic::riscv::softfloat {

// Encoded as in the rm field of RISC-V instructions and the frm CSR (DYN is resolved by the
// caller).
enum class RoundingMode : uint8_t {
    kNearestEven = 0,
    kTowardZero = 1,
    kDown = 2,
    kUp = 3,
    kNearestMaxMagnitude = 4,
};

// Exception flags, laid out as the fflags field of fcsr.
inline constexpr uint32_t kInexact = 1;
inline constexpr uint32_t kUnderflow = 2;
inline constexpr uint32_t kOverflow = 4;
inline constexpr uint32_t kDivByZero = 8;
inline constexpr uint32_t kInvalid = 16;

inline constexpr uint32_t kF32CanonicalNan = 0x7fc00000u;
inline constexpr uint64_t kF64CanonicalNan = 0x7ff8000000000000ull;

// Operations read rm and OR the exceptions they raise into flags; they never clear flags.
// Reserved rounding modes (5, 6, 7) behave as kNearestEven: rejecting them is the decoder's job.
struct Status {
    RoundingMode rm;
    uint32_t flags = 0;
};

// fclass result bits.
inline constexpr uint32_t kClassNegInf = 1u << 0;
inline constexpr uint32_t kClassNegNormal = 1u << 1;
inline constexpr uint32_t kClassNegSubnormal = 1u << 2;
inline constexpr uint32_t kClassNegZero = 1u << 3;
inline constexpr uint32_t kClassPosZero = 1u << 4;
inline constexpr uint32_t kClassPosSubnormal = 1u << 5;
inline constexpr uint32_t kClassPosNormal = 1u << 6;
inline constexpr uint32_t kClassPosInf = 1u << 7;
inline constexpr uint32_t kClassSignalingNan = 1u << 8;
inline constexpr uint32_t kClassQuietNan = 1u << 9;

// Values are raw IEEE bit patterns; every NaN result is the canonical NaN.
uint32_t f32_add(uint32_t a, uint32_t b, Status& st);
uint32_t f32_sub(uint32_t a, uint32_t b, Status& st);
uint32_t f32_mul(uint32_t a, uint32_t b, Status& st);
uint32_t f32_div(uint32_t a, uint32_t b, Status& st);
uint32_t f32_sqrt(uint32_t a, Status& st);
// (±a*b) ± c with one rounding: fmadd (false, false), fmsub (false, true), fnmsub (true, false),
// fnmadd (true, true). inf*0 raises invalid even when c is a quiet NaN, as RISC-V requires.
uint32_t f32_muladd(uint32_t a, uint32_t b, uint32_t c, Status& st, bool negate_product, bool negate_addend);
// IEEE 754-2019 minimumNumber/maximumNumber: -0 < +0, a single NaN operand is ignored.
uint32_t f32_min(uint32_t a, uint32_t b, Status& st);
uint32_t f32_max(uint32_t a, uint32_t b, Status& st);
bool f32_eq(uint32_t a, uint32_t b, Status& st);  // quiet: invalid only for signaling NaNs
bool f32_lt(uint32_t a, uint32_t b, Status& st);  // signaling: invalid for any NaN
bool f32_le(uint32_t a, uint32_t b, Status& st);
uint32_t f32_classify(uint32_t a);

// Out-of-range and NaN inputs saturate as in the RISC-V fcvt table and raise only invalid.
int32_t f32_to_i32(uint32_t a, Status& st);
uint32_t f32_to_u32(uint32_t a, Status& st);
int64_t f32_to_i64(uint32_t a, Status& st);
uint64_t f32_to_u64(uint32_t a, Status& st);
uint32_t i32_to_f32(int32_t a, Status& st);
uint32_t u32_to_f32(uint32_t a, Status& st);
uint32_t i64_to_f32(int64_t a, Status& st);
uint32_t u64_to_f32(uint64_t a, Status& st);

uint64_t f64_add(uint64_t a, uint64_t b, Status& st);
uint64_t f64_sub(uint64_t a, uint64_t b, Status& st);
uint64_t f64_mul(uint64_t a, uint64_t b, Status& st);
uint64_t f64_div(uint64_t a, uint64_t b, Status& st);
uint64_t f64_sqrt(uint64_t a, Status& st);
uint64_t f64_muladd(uint64_t a, uint64_t b, uint64_t c, Status& st, bool negate_product, bool negate_addend);
uint64_t f64_min(uint64_t a, uint64_t b, Status& st);
uint64_t f64_max(uint64_t a, uint64_t b, Status& st);
bool f64_eq(uint64_t a, uint64_t b, Status& st);
bool f64_lt(uint64_t a, uint64_t b, Status& st);
bool f64_le(uint64_t a, uint64_t b, Status& st);
uint32_t f64_classify(uint64_t a);

int32_t f64_to_i32(uint64_t a, Status& st);
uint32_t f64_to_u32(uint64_t a, Status& st);
int64_t f64_to_i64(uint64_t a, Status& st);
uint64_t f64_to_u64(uint64_t a, Status& st);
uint64_t i32_to_f64(int32_t a, Status& st);
uint64_t u32_to_f64(uint32_t a, Status& st);
uint64_t i64_to_f64(int64_t a, Status& st);
uint64_t u64_to_f64(uint64_t a, Status& st);

// fcvt.d.s is exact; fcvt.s.d rounds. NaNs become the canonical NaN, signaling ones raise invalid.
uint64_t f32_to_f64(uint32_t a, Status& st);
uint32_t f64_to_f32(uint64_t a, Status& st);

}  // namespace mimic::riscv::softfloat
