// Hand-picked vectors for binary64 arithmetic and for every conversion: fcvt saturation of
// out-of-range and NaN inputs, rounding in each mode, and f32<->f64 NaN canonicalization.
#include <catch2/catch.hpp>
#include <limits>

#include "tests/frontends/riscv/softfloat_test_util.h"

using namespace mimic::test_softfloat;
namespace sf = mimic::riscv::softfloat;

TEST_CASE("f64 arithmetic on special values, overflow and ties", "[softfloat]") {
    using namespace d;
    run<uint64_t, uint64_t>("f64_add", binary(sf::f64_add),
                            {
                                {kRne, kOne, kOne, 0, kTwo, 0},
                                {kRne, kPZ, kNZ, 0, kPZ, 0},
                                {kRdn, kPZ, kNZ, 0, kNZ, 0},
                                {kRdn, kOne, kMOne, 0, kNZ, 0},
                                {kRne, kPInf, kNInf, 0, kNan, kNV},
                                {kRne, kNanPayload, kOne, 0, kNan, 0},
                                {kRne, kOne, kSNan, 0, kNan, kNV},
                                {kRne, kMax, kMax, 0, kPInf, kOF | kNX},
                                {kRtz, kMax, kMax, 0, kMax, kOF | kNX},
                                {kRdn, kMax, kMax, 0, kMax, kOF | kNX},
                                {kRup, kMax, kMax, 0, kPInf, kOF | kNX},
                                {kRmm, kMax, kMax, 0, kPInf, kOF | kNX},
                                {kRdn, kNMax, kNMax, 0, kNInf, kOF | kNX},
                                {kRup, kNMax, kNMax, 0, kNMax, kOF | kNX},
                                {kRtz, kNMax, kNMax, 0, kNMax, kOF | kNX},
                                {kRne, kMax, 0x7c90000000000000, 0, kPInf, kOF | kNX},
                                {kRtz, kMax, 0x7c90000000000000, 0, kMax, kNX},
                                {kRne, kOne, kUlpHalf, 0, kOne, kNX},
                                {kRmm, kOne, kUlpHalf, 0, 0x3ff0000000000001, kNX},
                                {kRmm, kMOne, kUlpHalf | kNZ, 0, 0xbff0000000000001, kNX},
                                {kRne, kMinSub, kMinSub, 0, 2, 0},
                                {kRne, kMinNorm, 0x8000000000000001, 0, 0x000fffffffffffff, 0},
                            });
    run<uint64_t, uint64_t>("f64_sub", binary(sf::f64_sub),
                            {
                                {kRne, kOne, kOne, 0, kPZ, 0},
                                {kRdn, kOne, kOne, 0, kNZ, 0},
                                {kRne, kNInf, kNInf, 0, kNan, kNV},
                                {kRne, kThree, kOne, 0, kTwo, 0},
                            });
    run<uint64_t, uint64_t>("f64_mul", binary(sf::f64_mul),
                            {
                                {kRne, kTwo, kThree, 0, 0x4018000000000000, 0},
                                {kRne, kPInf, kNZ, 0, kNan, kNV},
                                {kRne, kNZ, kMOne, 0, kPZ, 0},
                                {kRne, kMax, kTwo, 0, kPInf, kOF | kNX},
                                {kRne, kMinSub, kHalf, 0, kPZ, kUF | kNX},
                                {kRmm, kMinSub, kHalf, 0, kMinSub, kUF | kNX},
                                {kRne, 0x3fefffffffffffff, kMinNorm, 0, kMinNorm, kUF | kNX},
                                {kRne, 0x3feffffffffffffe, 0x0010000000000001, 0, kMinNorm, kNX},
                                {kRtz, 0x3feffffffffffffe, 0x0010000000000001, 0, 0x000fffffffffffff, kUF | kNX},
                            });
    run<uint64_t, uint64_t>("f64_div", binary(sf::f64_div),
                            {
                                {kRne, kOne, kNZ, 0, kNInf, kDZ},
                                {kRne, kPZ, kNZ, 0, kNan, kNV},
                                {kRne, kNInf, kPInf, 0, kNan, kNV},
                                {kRne, kOne, kThree, 0, 0x3fd5555555555555, kNX},
                                {kRup, kOne, kThree, 0, 0x3fd5555555555556, kNX},
                                {kRne, kMax, kHalf, 0, kPInf, kOF | kNX},
                                {kRne, kMinSub, kTwo, 0, kPZ, kUF | kNX},
                            });
    run<uint64_t, uint64_t>("f64_sqrt", unary(sf::f64_sqrt),
                            {
                                {kRne, kTwo, 0, 0, 0x3ff6a09e667f3bcd, kNX},
                                {kRup, kTwo, 0, 0, 0x3ff6a09e667f3bcd, kNX},
                                {kRtz, kTwo, 0, 0, 0x3ff6a09e667f3bcc, kNX},
                                {kRne, 0x4010000000000000, 0, 0, kTwo, 0},
                                {kRne, kNZ, 0, 0, kNZ, 0},
                                {kRne, kMOne, 0, 0, kNan, kNV},
                                {kRne, kSNan, 0, 0, kNan, kNV},
                                {kRne, kPInf, 0, 0, kPInf, 0},
                                {kRne, 4, 0, 0, 0x1e70000000000000, 0},
                            });
    run<uint64_t, uint64_t>("fmadd.d", fused(sf::f64_muladd, false, false),
                            {
                                {kRne, 0x3ff0000008000000, 0x3ff0000008000000, kMOne, 0x3e70000004000000, 0},
                                {kRne, kPInf, kPZ, kNan, kNan, kNV},
                                {kRne, kOne, kOne, kSNan, kNan, kNV},
                                {kRne, kMax, kTwo, kNMax, kMax, 0},
                                {kRdn, kOne, kOne, kMOne, kNZ, 0},
                                {kRmm, kOne, kOne, kUlpHalf, 0x3ff0000000000001, kNX},
                            });
    run<uint64_t, uint64_t>("fnmadd.d", fused(sf::f64_muladd, true, true),
                            {
                                {kRne, kOne, kTwo, kThree, 0xc014000000000000, 0},
                                {kRne, kPZ, kOne, kPZ, kNZ, 0},
                            });
    run<uint64_t, uint64_t>("f64_min", binary(sf::f64_min),
                            {
                                {kRne, kNZ, kPZ, 0, kNZ, 0},
                                {kRne, kPZ, kNZ, 0, kNZ, 0},
                                {kRne, kNan, kOne, 0, kOne, 0},
                                {kRne, kSNan, kOne, 0, kOne, kNV},
                                {kRne, kNanPayload, kNegNan, 0, kNan, 0},
                            });
    run<uint64_t, uint64_t>("f64_max", binary(sf::f64_max),
                            {
                                {kRne, kNZ, kPZ, 0, kPZ, 0},
                                {kRne, kOne, kNegSNan, 0, kOne, kNV},
                                {kRne, kMOne, kNInf, 0, kMOne, 0},
                            });
    run<uint64_t, bool>("f64_eq", binary(sf::f64_eq),
                        {
                            {kRne, kPZ, kNZ, 0, true, 0},
                            {kRne, kNan, kOne, 0, false, 0},
                            {kRne, kSNan, kSNan, 0, false, kNV},
                        });
    run<uint64_t, bool>("f64_lt", binary(sf::f64_lt),
                        {
                            {kRne, kNZ, kPZ, 0, false, 0},
                            {kRne, kMOne, kMinSub, 0, true, 0},
                            {kRne, kOne, kNan, 0, false, kNV},
                        });
    run<uint64_t, bool>("f64_le", binary(sf::f64_le),
                        {
                            {kRne, kPZ, kNZ, 0, true, 0},
                            {kRne, kNan, kNan, 0, false, kNV},
                        });
    CHECK(sf::f64_classify(kNInf) == sf::kClassNegInf);
    CHECK(sf::f64_classify(kNMax) == sf::kClassNegNormal);
    CHECK(sf::f64_classify(0x800fffffffffffff) == sf::kClassNegSubnormal);
    CHECK(sf::f64_classify(kNZ) == sf::kClassNegZero);
    CHECK(sf::f64_classify(kPZ) == sf::kClassPosZero);
    CHECK(sf::f64_classify(kMinSub) == sf::kClassPosSubnormal);
    CHECK(sf::f64_classify(kMax) == sf::kClassPosNormal);
    CHECK(sf::f64_classify(kPInf) == sf::kClassPosInf);
    CHECK(sf::f64_classify(kSNan) == sf::kClassSignalingNan);
    CHECK(sf::f64_classify(kNan) == sf::kClassQuietNan);
}

TEST_CASE("float to integer conversions saturate like fcvt", "[softfloat]") {
    using L32 = std::numeric_limits<int32_t>;
    using L64 = std::numeric_limits<int64_t>;
    constexpr uint32_t kU32Max = 0xffffffff;
    constexpr uint64_t kU64Max = ~uint64_t{0};
    using namespace s;
    run<uint32_t, int32_t>("f32_to_i32", unary(sf::f32_to_i32),
                           {
                               {kRne, 0x4f000000, 0, 0, L32::max(), kNV},
                               {kRne, 0xcf000000, 0, 0, L32::min(), 0},
                               {kRne, 0xcf000001, 0, 0, L32::min(), kNV},
                               {kRne, kNan, 0, 0, L32::max(), kNV},
                               {kRne, kNegNan, 0, 0, L32::max(), kNV},
                               {kRne, kNInf, 0, 0, L32::min(), kNV},
                               {kRne, kPInf, 0, 0, L32::max(), kNV},
                               {kRne, kSNan, 0, 0, L32::max(), kNV},
                               {kRne, 0x3fc00000, 0, 0, 2, kNX},
                               {kRne, 0x40200000, 0, 0, 2, kNX},
                               {kRmm, 0x40200000, 0, 0, 3, kNX},
                               {kRmm, 0xc0200000, 0, 0, -3, kNX},
                               {kRdn, 0xbfc00000, 0, 0, -2, kNX},
                               {kRup, 0xbfc00000, 0, 0, -1, kNX},
                               {kRtz, 0x3fc00000, 0, 0, 1, kNX},
                               {kRtz, 0xbfc00000, 0, 0, -1, kNX},
                               {kRne, kNZ, 0, 0, 0, 0},
                               {kRne, kMinSub, 0, 0, 0, kNX},
                               {kRup, kMinSub, 0, 0, 1, kNX},
                               {kRdn, 0x80000001, 0, 0, -1, kNX},
                               {kRne, 0x4effffff, 0, 0, 2147483520, 0},
                           });
    run<uint32_t, uint32_t>("f32_to_u32", unary(sf::f32_to_u32),
                            {
                                {kRne, kMOne, 0, 0, 0, kNV},
                                {kRne, 0xbf000000, 0, 0, 0, kNX},
                                {kRdn, 0xbf000000, 0, 0, 0, kNV},
                                {kRmm, 0xbf000000, 0, 0, 0, kNV},
                                {kRup, 0xbf000000, 0, 0, 0, kNX},
                                {kRne, kNZ, 0, 0, 0, 0},
                                {kRne, 0x4f800000, 0, 0, kU32Max, kNV},
                                {kRne, 0x4f7fffff, 0, 0, 0xffffff00, 0},
                                {kRne, kNan, 0, 0, kU32Max, kNV},
                                {kRne, kNegNan, 0, 0, kU32Max, kNV},
                                {kRne, kNInf, 0, 0, 0, kNV},
                                {kRne, kPInf, 0, 0, kU32Max, kNV},
                            });
    run<uint32_t, int64_t>("f32_to_i64", unary(sf::f32_to_i64),
                           {
                               {kRne, 0x5f000000, 0, 0, L64::max(), kNV},
                               {kRne, 0xdf000000, 0, 0, L64::min(), 0},
                               {kRne, 0x5effffff, 0, 0, 0x7fffff8000000000, 0},
                               {kRne, kPInf, 0, 0, L64::max(), kNV},
                               {kRne, kNan, 0, 0, L64::max(), kNV},
                               {kRne, kNInf, 0, 0, L64::min(), kNV},
                               {kRne, 0xbfc00000, 0, 0, -2, kNX},
                           });
    run<uint32_t, uint64_t>("f32_to_u64", unary(sf::f32_to_u64),
                            {
                                {kRne, 0x5f800000, 0, 0, kU64Max, kNV},
                                {kRne, 0x5f7fffff, 0, 0, 0xffffff0000000000, 0},
                                {kRne, kMOne, 0, 0, 0, kNV},
                                {kRne, 0xbe800000, 0, 0, 0, kNX},
                                {kRne, kNan, 0, 0, kU64Max, kNV},
                                {kRne, kNInf, 0, 0, 0, kNV},
                            });
    run<uint64_t, int32_t>("f64_to_i32", unary(sf::f64_to_i32),
                           {
                               {kRne, 0x41dfffffffe00000, 0, 0, L32::max(), kNV},  // 2^31-0.5 rounds out of range
                               {kRtz, 0x41dfffffffe00000, 0, 0, L32::max(), kNX},
                               {kRne, 0xc1e0000000100000, 0, 0, L32::min(), kNX},  // -2^31-0.5 ties to even -2^31
                               {kRdn, 0xc1e0000000100000, 0, 0, L32::min(), kNV},
                               {kRne, d::kNan, 0, 0, L32::max(), kNV},
                               {kRne, d::kNInf, 0, 0, L32::min(), kNV},
                               {kRne, d::kMax, 0, 0, L32::max(), kNV},
                               {kRne, d::kNMax, 0, 0, L32::min(), kNV},
                           });
    run<uint64_t, uint32_t>("f64_to_u32", unary(sf::f64_to_u32),
                            {
                                {kRne, 0x41effffffff00000, 0, 0, kU32Max, kNV},
                                {kRtz, 0x41effffffff00000, 0, 0, kU32Max, kNX},
                                {kRtz, 0xbfeccccccccccccd, 0, 0, 0, kNX},
                                {kRne, 0xbfeccccccccccccd, 0, 0, 0, kNV},
                                {kRne, d::kSNan, 0, 0, kU32Max, kNV},
                            });
    run<uint64_t, int64_t>("f64_to_i64", unary(sf::f64_to_i64),
                           {
                               {kRne, 0x43e0000000000000, 0, 0, L64::max(), kNV},
                               {kRne, 0xc3e0000000000000, 0, 0, L64::min(), 0},
                               {kRne, 0x43dfffffffffffff, 0, 0, 0x7ffffffffffffc00, 0},
                               {kRne, d::kNan, 0, 0, L64::max(), kNV},
                               {kRmm, 0x3fe0000000000000, 0, 0, 1, kNX},
                               {kRne, 0x3fe0000000000000, 0, 0, 0, kNX},
                           });
    run<uint64_t, uint64_t>("f64_to_u64", unary(sf::f64_to_u64),
                            {
                                {kRne, 0x43f0000000000000, 0, 0, kU64Max, kNV},
                                {kRne, 0x43efffffffffffff, 0, 0, 0xfffffffffffff800, 0},
                                {kRne, d::kNan, 0, 0, kU64Max, kNV},
                                {kRne, d::kNInf, 0, 0, 0, kNV},
                                {kRne, d::kNZ, 0, 0, 0, 0},
                            });
}

TEST_CASE("integer to float and float to float conversions", "[softfloat]") {
    using L32 = std::numeric_limits<int32_t>;
    using L64 = std::numeric_limits<int64_t>;
    run<int32_t, uint32_t>("i32_to_f32", unary(sf::i32_to_f32),
                           {
                               {kRne, L32::max(), 0, 0, 0x4f000000, kNX},
                               {kRtz, L32::max(), 0, 0, 0x4effffff, kNX},
                               {kRne, L32::min(), 0, 0, 0xcf000000, 0},
                               {kRne, 16777217, 0, 0, 0x4b800000, kNX},
                               {kRmm, 16777217, 0, 0, 0x4b800001, kNX},
                               {kRne, 0, 0, 0, 0, 0},
                               {kRdn, 0, 0, 0, 0, 0},
                               {kRne, -1, 0, 0, 0xbf800000, 0},
                               {kRdn, -16777217, 0, 0, 0xcb800001, kNX},
                           });
    run<uint32_t, uint32_t>("u32_to_f32", unary(sf::u32_to_f32),
                            {
                                {kRne, 0xffffffff, 0, 0, 0x4f800000, kNX},
                                {kRtz, 0xffffffff, 0, 0, 0x4f7fffff, kNX},
                            });
    run<int64_t, uint32_t>("i64_to_f32", unary(sf::i64_to_f32),
                           {
                               {kRne, L64::min(), 0, 0, 0xdf000000, 0},
                               {kRne, L64::max(), 0, 0, 0x5f000000, kNX},
                           });
    run<uint64_t, uint32_t>("u64_to_f32", unary(sf::u64_to_f32),
                            {
                                {kRne, ~uint64_t{0}, 0, 0, 0x5f800000, kNX},
                                {kRtz, ~uint64_t{0}, 0, 0, 0x5f7fffff, kNX},
                                {kRup, 0x8000000000000001, 0, 0, 0x5f000001, kNX},
                            });
    run<int32_t, uint64_t>("i32_to_f64", unary(sf::i32_to_f64),
                           {
                               {kRne, L32::min(), 0, 0, 0xc1e0000000000000, 0},
                           });
    run<uint32_t, uint64_t>("u32_to_f64", unary(sf::u32_to_f64),
                            {
                                {kRne, 0xffffffff, 0, 0, 0x41efffffffe00000, 0},
                            });
    run<int64_t, uint64_t>("i64_to_f64", unary(sf::i64_to_f64),
                           {
                               {kRne, L64::max(), 0, 0, 0x43e0000000000000, kNX},
                               {kRtz, L64::max(), 0, 0, 0x43dfffffffffffff, kNX},
                               {kRne, 9007199254740993, 0, 0, 0x4340000000000000, kNX},
                               {kRmm, 9007199254740993, 0, 0, 0x4340000000000001, kNX},
                           });
    run<uint64_t, uint64_t>("u64_to_f64", unary(sf::u64_to_f64),
                            {
                                {kRne, ~uint64_t{0}, 0, 0, 0x43f0000000000000, kNX},
                                {kRtz, ~uint64_t{0}, 0, 0, 0x43efffffffffffff, kNX},
                            });
    run<uint32_t, uint64_t>("f32_to_f64", unary(sf::f32_to_f64),
                            {
                                {kRne, s::kSNan, 0, 0, d::kNan, kNV},
                                {kRne, s::kNanPayload, 0, 0, d::kNan, 0},
                                {kRne, s::kNegNan, 0, 0, d::kNan, 0},
                                {kRne, s::kMinSub, 0, 0, 0x36a0000000000000, 0},
                                {kRne, s::kNZ, 0, 0, d::kNZ, 0},
                                {kRne, s::kNInf, 0, 0, d::kNInf, 0},
                                {kRne, s::kOne, 0, 0, d::kOne, 0},
                                {kRne, s::kMax, 0, 0, 0x47efffffe0000000, 0},
                            });
    run<uint64_t, uint32_t>("f64_to_f32", unary(sf::f64_to_f32),
                            {
                                {kRne, 0x7e37e43c8800759c, 0, 0, s::kPInf, kOF | kNX},  // 1e300
                                {kRtz, 0x7e37e43c8800759c, 0, 0, s::kMax, kOF | kNX},
                                {kRdn, 0xfe37e43c8800759c, 0, 0, s::kNInf, kOF | kNX},
                                {kRup, 0xfe37e43c8800759c, 0, 0, s::kNMax, kOF | kNX},
                                {kRne, 0x47effffff0000000, 0, 0, s::kPInf, kOF | kNX},  // max + half ulp ties up
                                {kRne, 0x47efffffefffffff, 0, 0, s::kMax, kNX},
                                {kRne, 0x3690000000000000, 0, 0, s::kPZ, kUF | kNX},  // 2^-150
                                {kRup, 0x3690000000000000, 0, 0, s::kMinSub, kUF | kNX},
                                {kRne, 0x380ffffff8000000, 0, 0, s::kMinNorm, kNX},  // (1-2^-26)*2^-126: not tiny
                                {kRtz, 0x380ffffff8000000, 0, 0, 0x007fffff, kUF | kNX},
                                {kRne, d::kMinSub, 0, 0, s::kPZ, kUF | kNX},
                                {kRne, d::kSNan, 0, 0, s::kNan, kNV},
                                {kRne, d::kNanPayload, 0, 0, s::kNan, 0},
                                {kRne, 0x3fd5555555555555, 0, 0, 0x3eaaaaab, kNX},
                                {kRne, d::kNZ, 0, 0, s::kNZ, 0},
                            });
}
