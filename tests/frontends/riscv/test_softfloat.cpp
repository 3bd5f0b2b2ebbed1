// Hand-picked vectors for the soft-float library: every operation on signed zeros, infinities,
// quiet and signaling NaNs, subnormals, overflow in each rounding mode and RMM ties.
#include <catch2/catch.hpp>

#include "tests/frontends/riscv/softfloat_test_util.h"

using namespace mimic::test_softfloat;
namespace sf = mimic::riscv::softfloat;

TEST_CASE("f32 add/sub: zeros, infinities, NaNs, overflow and ties", "[softfloat]") {
    using namespace s;
    run<uint32_t, uint32_t>(
        "f32_add", binary(sf::f32_add),
        {
            {kRne, kOne, kOne, 0, kTwo, 0},
            {kRne, kPZ, kNZ, 0, kPZ, 0},
            {kRdn, kPZ, kNZ, 0, kNZ, 0},
            {kRne, kNZ, kNZ, 0, kNZ, 0},
            {kRup, kNZ, kNZ, 0, kNZ, 0},
            {kRne, kOne, kMOne, 0, kPZ, 0},
            {kRdn, kOne, kMOne, 0, kNZ, 0},
            {kRne, kMinSub, kNZ, 0, kMinSub, 0},
            {kRne, kPInf, kNInf, 0, kNan, kNV},
            {kRne, kPInf, kOne, 0, kPInf, 0},
            {kRne, kNInf, kMax, 0, kNInf, 0},
            {kRne, kNanPayload, kOne, 0, kNan, 0},
            {kRne, kOne, kNegNan, 0, kNan, 0},
            {kRne, kSNan, kOne, 0, kNan, kNV},
            {kRne, kNan, kNegSNan, 0, kNan, kNV},
            {kRne, kSNan, kPInf, 0, kNan, kNV},
            // Overflow goes to infinity or the largest finite number depending on mode and sign.
            {kRne, kMax, kMax, 0, kPInf, kOF | kNX},
            {kRtz, kMax, kMax, 0, kMax, kOF | kNX},
            {kRdn, kMax, kMax, 0, kMax, kOF | kNX},
            {kRup, kMax, kMax, 0, kPInf, kOF | kNX},
            {kRmm, kMax, kMax, 0, kPInf, kOF | kNX},
            {kRne, kNMax, kNMax, 0, kNInf, kOF | kNX},
            {kRtz, kNMax, kNMax, 0, kNMax, kOF | kNX},
            {kRdn, kNMax, kNMax, 0, kNInf, kOF | kNX},
            {kRup, kNMax, kNMax, 0, kNMax, kOF | kNX},
            {kRmm, kNMax, kNMax, 0, kNInf, kOF | kNX},
            // max + half an ulp ties to infinity; below that, or rounding toward zero, stays finite.
            {kRne, kMax, 0x73000000, 0, kPInf, kOF | kNX},
            {kRtz, kMax, 0x73000000, 0, kMax, kNX},
            {kRne, kMax, 0x72ffffff, 0, kMax, kNX},
            // 1 + 2^-24 is a tie: even stays at 1, max-magnitude goes away from zero.
            {kRne, kOne, kUlpHalf, 0, kOne, kNX},
            {kRmm, kOne, kUlpHalf, 0, 0x3f800001, kNX},
            {kRup, kOne, kUlpHalf, 0, 0x3f800001, kNX},
            {kRtz, kOne, kUlpHalf, 0, kOne, kNX},
            {kRmm, kMOne, 0xb3800000, 0, 0xbf800001, kNX},
            {kRdn, kMOne, 0xb3800000, 0, 0xbf800001, kNX},
            {kRne, 0x3f800001, kUlpHalf, 0, 0x3f800002, kNX},
            // Subnormal results that are exact raise nothing, not even underflow.
            {kRne, kMinSub, kMinSub, 0, 2, 0},
            {kRne, kMinNorm, 0x80000001, 0, 0x007fffff, 0},
        });
    run<uint32_t, uint32_t>("f32_sub", binary(sf::f32_sub),
                            {
                                {kRne, kOne, kOne, 0, kPZ, 0},
                                {kRdn, kOne, kOne, 0, kNZ, 0},
                                {kRne, kNZ, kPZ, 0, kNZ, 0},
                                {kRne, kPZ, kPZ, 0, kPZ, 0},
                                {kRne, kPInf, kPInf, 0, kNan, kNV},
                                {kRne, kPInf, kNInf, 0, kPInf, 0},
                                {kRne, kThree, kOne, 0, kTwo, 0},
                                {kRne, kOne, kThree, 0, 0xc0000000, 0},
                                {kRne, kSNan, kNan, 0, kNan, kNV},
                            });
}

TEST_CASE("f32 mul/div/sqrt: special values, underflow after rounding", "[softfloat]") {
    using namespace s;
    run<uint32_t, uint32_t>("f32_mul", binary(sf::f32_mul),
                            {
                                {kRne, kTwo, kThree, 0, 0x40c00000, 0},
                                {kRne, kPInf, kPZ, 0, kNan, kNV},
                                {kRne, kNZ, kNInf, 0, kNan, kNV},
                                {kRne, kNInf, kTwo, 0, kNInf, 0},
                                {kRne, kNZ, kTwo, 0, kNZ, 0},
                                {kRne, kNZ, kMOne, 0, kPZ, 0},
                                {kRne, kSNan, kPZ, 0, kNan, kNV},
                                {kRne, kMax, kTwo, 0, kPInf, kOF | kNX},
                                {kRtz, kMax, kTwo, 0, kMax, kOF | kNX},
                                {kRne, 2, kHalf, 0, kMinSub, 0},
                                // 2^-150 is halfway between 0 and the smallest subnormal.
                                {kRne, kMinSub, kHalf, 0, kPZ, kUF | kNX},
                                {kRmm, kMinSub, kHalf, 0, kMinSub, kUF | kNX},
                                {kRup, kMinSub, kHalf, 0, kMinSub, kUF | kNX},
                                {kRdn, kMinSub, kHalf, 0, kPZ, kUF | kNX},
                                {kRdn, 0x80000001, kHalf, 0, 0x80000001, kUF | kNX},
                                // (1-2^-24)*2^-126 rounds to 2^-126 but is tiny with an unbounded exponent.
                                {kRne, 0x3f7fffff, kMinNorm, 0, kMinNorm, kUF | kNX},
                                // (1-2^-46)*2^-126 rounds to 2^-126 even with an unbounded exponent: not tiny, no UF.
                                {kRne, 0x3f7ffffe, 0x00800001, 0, kMinNorm, kNX},
                                {kRmm, 0x3f7ffffe, 0x00800001, 0, kMinNorm, kNX},
                                {kRtz, 0x3f7ffffe, 0x00800001, 0, 0x007fffff, kUF | kNX},
                            });
    run<uint32_t, uint32_t>("f32_div", binary(sf::f32_div),
                            {
                                {kRne, kOne, kPZ, 0, kPInf, kDZ},
                                {kRne, kMOne, kPZ, 0, kNInf, kDZ},
                                {kRne, kOne, kNZ, 0, kNInf, kDZ},
                                {kRne, kPZ, kPZ, 0, kNan, kNV},
                                {kRne, kPInf, kNInf, 0, kNan, kNV},
                                {kRne, kPInf, kNZ, 0, kNInf, 0},
                                {kRne, kOne, kNInf, 0, kNZ, 0},
                                {kRne, kNZ, kThree, 0, kNZ, 0},
                                {kRne, kSNan, kPZ, 0, kNan, kNV},
                                {kRne, kNan, kPZ, 0, kNan, 0},
                                {kRne, kOne, kThree, 0, 0x3eaaaaab, kNX},
                                {kRtz, kOne, kThree, 0, 0x3eaaaaaa, kNX},
                                {kRdn, kMOne, kThree, 0, 0xbeaaaaab, kNX},
                                {kRup, kMOne, kThree, 0, 0xbeaaaaaa, kNX},
                                {kRne, 0x40c00000, kThree, 0, kTwo, 0},
                                {kRne, kMax, kHalf, 0, kPInf, kOF | kNX},
                                {kRdn, kMax, kHalf, 0, kMax, kOF | kNX},
                                {kRne, kMinNorm, 0x41000000, 0, 0x00100000, 0},
                                {kRne, kMinSub, kTwo, 0, kPZ, kUF | kNX},
                                {kRup, kMinSub, kTwo, 0, kMinSub, kUF | kNX},
                            });
    run<uint32_t, uint32_t>("f32_sqrt", unary(sf::f32_sqrt),
                            {
                                {kRne, 0x40800000, 0, 0, kTwo, 0},
                                {kRne, kNZ, 0, 0, kNZ, 0},
                                {kRne, kPZ, 0, 0, kPZ, 0},
                                {kRne, kMOne, 0, 0, kNan, kNV},
                                {kRne, kNInf, 0, 0, kNan, kNV},
                                {kRne, 0x80000001, 0, 0, kNan, kNV},
                                {kRne, kPInf, 0, 0, kPInf, 0},
                                {kRne, kSNan, 0, 0, kNan, kNV},
                                {kRne, kNegNan, 0, 0, kNan, 0},
                                {kRne, kTwo, 0, 0, 0x3fb504f3, kNX},
                                {kRup, kTwo, 0, 0, 0x3fb504f4, kNX},
                                {kRtz, kTwo, 0, 0, 0x3fb504f3, kNX},
                                {kRne, kMinSub, 0, 0, 0x1a3504f3, kNX},
                                {kRne, 0x00000002, 0, 0, 0x1a800000, 0},
                            });
}

TEST_CASE("f32 fused multiply-add: single rounding and RISC-V special cases", "[softfloat]") {
    using namespace s;
    const auto fmadd = fused(sf::f32_muladd, false, false);
    const auto fmsub = fused(sf::f32_muladd, false, true);
    const auto fnmsub = fused(sf::f32_muladd, true, false);
    const auto fnmadd = fused(sf::f32_muladd, true, true);
    run<uint32_t, uint32_t>("fmadd.s", fmadd,
                            {
                                // (1+2^-12)^2 - 1 keeps the 2^-24 term that a separate multiply would round away.
                                {kRne, 0x3f800800, 0x3f800800, kMOne, 0x3a000400, 0},
                                {kRne, kPInf, kPZ, kNan, kNan, kNV},
                                {kRne, kPZ, kNInf, kSNan, kNan, kNV},
                                {kRne, kNan, kOne, kOne, kNan, 0},
                                {kRne, kOne, kOne, kSNan, kNan, kNV},
                                {kRne, kPInf, kOne, kNInf, kNan, kNV},
                                {kRne, kPInf, kOne, kPInf, kPInf, 0},
                                {kRne, kOne, kOne, kNInf, kNInf, 0},
                                {kRne, kMax, kMax, kNInf, kNInf, 0},
                                {kRne, kPZ, kOne, kNZ, kPZ, 0},
                                {kRdn, kPZ, kOne, kNZ, kNZ, 0},
                                {kRne, kOne, kOne, kMOne, kPZ, 0},
                                {kRdn, kOne, kOne, kMOne, kNZ, 0},
                                {kRne, kPZ, kOne, kThree, kThree, 0},
                                {kRne, kMax, kTwo, 0xff7fffff, kMax, 0},  // the product overflows only before the add
                                {kRne, kOne, kOne, kUlpHalf, kOne, kNX},
                                {kRmm, kOne, kOne, kUlpHalf, 0x3f800001, kNX},
                                {kRne, kMinSub, kHalf, kPZ, kPZ, kUF | kNX},
                                {kRup, kMinSub, kHalf, kNZ, kMinSub, kUF | kNX},
                                {kRne, kMinNorm, kOne, 0x80800001, 0x80000001, 0},
                                {kRne, kMax, kMax, kMOne, kPInf, kOF | kNX},
                            });
    run<uint32_t, uint32_t>("fmsub.s", fmsub,
                            {
                                {kRne, kOne, kTwo, kThree, kMOne, 0},
                                {kRne, kOne, kOne, kOne, kPZ, 0},
                                {kRdn, kOne, kOne, kOne, kNZ, 0},
                                {kRne, kPInf, kOne, kPInf, kNan, kNV},
                                {kRne, kPZ, kOne, kTwo, 0xc0000000, 0},
                            });
    run<uint32_t, uint32_t>("fnmsub.s", fnmsub,
                            {
                                {kRne, kOne, kTwo, kThree, kOne, 0},
                                {kRne, kPZ, kOne, kPZ, kPZ, 0},
                                {kRne, kPZ, kOne, kNZ, kNZ, 0},
                            });
    run<uint32_t, uint32_t>("fnmadd.s", fnmadd,
                            {
                                {kRne, kOne, kTwo, kThree, 0xc0a00000, 0},
                                {kRne, kPZ, kOne, kPZ, kNZ, 0},
                                {kRne, kPInf, kOne, kPInf, kNInf, 0},
                            });
}

TEST_CASE("f32 min/max/compare/classify", "[softfloat]") {
    using namespace s;
    run<uint32_t, uint32_t>("f32_min", binary(sf::f32_min),
                            {
                                {kRne, kNZ, kPZ, 0, kNZ, 0},
                                {kRne, kPZ, kNZ, 0, kNZ, 0},
                                {kRne, kNan, kOne, 0, kOne, 0},
                                {kRne, kOne, kNanPayload, 0, kOne, 0},
                                {kRne, kSNan, kOne, 0, kOne, kNV},
                                {kRne, kOne, kNegSNan, 0, kOne, kNV},
                                {kRne, kNanPayload, kNegNan, 0, kNan, 0},
                                {kRne, kSNan, kNan, 0, kNan, kNV},
                                {kRne, kOne, kTwo, 0, kOne, 0},
                                {kRne, kNInf, kMax, 0, kNInf, 0},
                                {kRne, 0x80000002, 0x80000001, 0, 0x80000002, 0},
                            });
    run<uint32_t, uint32_t>("f32_max", binary(sf::f32_max),
                            {
                                {kRne, kNZ, kPZ, 0, kPZ, 0},
                                {kRne, kPZ, kNZ, 0, kPZ, 0},
                                {kRne, kNan, kMOne, 0, kMOne, 0},
                                {kRne, kSNan, kMOne, 0, kMOne, kNV},
                                {kRne, kNan, kNan, 0, kNan, 0},
                                {kRne, kOne, kTwo, 0, kTwo, 0},
                                {kRne, kMOne, kMinSub, 0, kMinSub, 0},
                                {kRne, kPInf, kMax, 0, kPInf, 0},
                            });
    run<uint32_t, bool>("f32_eq", binary(sf::f32_eq),
                        {
                            {kRne, kPZ, kNZ, 0, true, 0},
                            {kRne, kOne, kOne, 0, true, 0},
                            {kRne, kOne, kTwo, 0, false, 0},
                            {kRne, kNan, kNan, 0, false, 0},
                            {kRne, kSNan, kOne, 0, false, kNV},
                            {kRne, kOne, kNegSNan, 0, false, kNV},
                            {kRne, kPInf, kPInf, 0, true, 0},
                        });
    run<uint32_t, bool>("f32_lt", binary(sf::f32_lt),
                        {
                            {kRne, kNan, kOne, 0, false, kNV},
                            {kRne, kNZ, kPZ, 0, false, 0},
                            {kRne, kMOne, kOne, 0, true, 0},
                            {kRne, kOne, kMOne, 0, false, 0},
                            {kRne, kOne, kOne, 0, false, 0},
                            {kRne, kMinSub, kMinNorm, 0, true, 0},
                            {kRne, 0x80000002, 0x80000001, 0, true, 0},
                            {kRne, kNInf, kNMax, 0, true, 0},
                        });
    run<uint32_t, bool>("f32_le", binary(sf::f32_le),
                        {
                            {kRne, kOne, kNan, 0, false, kNV},
                            {kRne, kNZ, kPZ, 0, true, 0},
                            {kRne, kPZ, kNZ, 0, true, 0},
                            {kRne, kOne, kOne, 0, true, 0},
                            {kRne, kTwo, kOne, 0, false, 0},
                            {kRne, kNInf, kPInf, 0, true, 0},
                        });
    CHECK(sf::f32_classify(kNInf) == sf::kClassNegInf);
    CHECK(sf::f32_classify(kMOne) == sf::kClassNegNormal);
    CHECK(sf::f32_classify(0x807fffff) == sf::kClassNegSubnormal);
    CHECK(sf::f32_classify(kNZ) == sf::kClassNegZero);
    CHECK(sf::f32_classify(kPZ) == sf::kClassPosZero);
    CHECK(sf::f32_classify(kMinSub) == sf::kClassPosSubnormal);
    CHECK(sf::f32_classify(kMinNorm) == sf::kClassPosNormal);
    CHECK(sf::f32_classify(kPInf) == sf::kClassPosInf);
    CHECK(sf::f32_classify(kSNan) == sf::kClassSignalingNan);
    CHECK(sf::f32_classify(kNegSNan) == sf::kClassSignalingNan);
    CHECK(sf::f32_classify(kNegNan) == sf::kClassQuietNan);
    CHECK(sf::f32_classify(kNan) == 0x200);
}

TEST_CASE("reserved rounding modes round to nearest even", "[softfloat]") {
    using namespace s;
    for (const uint8_t rm : {5, 6, 7}) {
        const auto mode = static_cast<RoundingMode>(rm);
        run<uint32_t, uint32_t>("f32_add", binary(sf::f32_add),
                                {
                                    {mode, kOne, kUlpHalf, 0, kOne, kNX},
                                    {mode, kNMax, kNMax, 0, kNInf, kOF | kNX},
                                });
        run<uint32_t, int32_t>("f32_to_i32", unary(sf::f32_to_i32), {{mode, 0x40200000, 0, 0, 2, kNX}});
    }
}
