// Per-instruction tests of the F and D extensions through the whole pipeline: results, fflags,
// rounding modes, NaN-boxing and the illegal rounding-mode cases. Expected values follow the
// unprivileged spec (chapters F and D) and IEEE 754-2008; the delicate ones were checked against
// qemu-riscv64 running the same instruction.
#include <catch2/catch.hpp>

#include "tests/frontends/riscv/encode.h"
#include "tests/frontends/riscv/harness.h"

using namespace mimic;
using namespace mimic::test;
using namespace mimic::test::rv;

namespace {
constexpr uint64_t kBox = 0xffffffff00000000ull;
constexpr uint64_t S(uint32_t bits) {
    return kBox | bits;
}  // a NaN-boxed single

constexpr uint32_t kRne = 0, kRtz = 1, kRdn = 2, kRup = 3, kRmm = 4, kDyn = 7;
constexpr uint64_t kNV = 0x10, kDZ = 0x08, kOF = 0x04, kUF = 0x02, kNX = 0x01;
constexpr uint32_t kSingle = 0, kDouble = 1;

// Single and double constants.
constexpr uint32_t kOneS = 0x3f800000, kTwoS = 0x40000000, kThreeS = 0x40400000, kNegOneS = 0xbf800000;
constexpr uint32_t kPosZeroS = 0, kNegZeroS = 0x80000000, kInfS = 0x7f800000, kNegInfS = 0xff800000;
constexpr uint32_t kQNanS = 0x7fc00000, kSNanS = 0x7f800001, kMaxS = 0x7f7fffff;
constexpr uint64_t kOneD = 0x3ff0000000000000, kTwoD = 0x4000000000000000, kThreeD = 0x4008000000000000;
constexpr uint64_t kNegOneD = 0xbff0000000000000, kNegZeroD = 0x8000000000000000, kInfD = 0x7ff0000000000000;
constexpr uint64_t kQNanD = 0x7ff8000000000000, kSNanD = 0x7ff0000000000001, kNegInfD = 0xfff0000000000000;
constexpr uint64_t kUnboxedOne = 0x000000003f800000;  // a single 1.0 without its box

// Instructions with rd = 10, rs1 = 1, rs2 = 2, rs3 = 3 (x1 for integer sources).
constexpr uint32_t arith(uint32_t f7, uint32_t fmt, uint32_t rm) {
    return fp(f7 | fmt, rm, 10, 1, 2);
}
constexpr uint32_t fadd(uint32_t fmt, uint32_t rm) {
    return arith(0x00, fmt, rm);
}
constexpr uint32_t fsub(uint32_t fmt, uint32_t rm) {
    return arith(0x04, fmt, rm);
}
constexpr uint32_t fmul(uint32_t fmt, uint32_t rm) {
    return arith(0x08, fmt, rm);
}
constexpr uint32_t fdiv(uint32_t fmt, uint32_t rm) {
    return arith(0x0c, fmt, rm);
}
constexpr uint32_t fsqrt(uint32_t fmt, uint32_t rm) {
    return fp(0x2c | fmt, rm, 10, 1, 0);
}
constexpr uint32_t fsgnj(uint32_t fmt, uint32_t f3) {
    return arith(0x10, fmt, f3);
}  // 0 j, 1 jn, 2 jx
constexpr uint32_t fmin(uint32_t fmt) {
    return arith(0x14, fmt, 0);
}
constexpr uint32_t fmax(uint32_t fmt) {
    return arith(0x14, fmt, 1);
}
constexpr uint32_t fcmp(uint32_t fmt, uint32_t f3) {
    return arith(0x50, fmt, f3);
}  // 2 eq, 1 lt, 0 le
constexpr uint32_t fclass(uint32_t fmt) {
    return fp(0x70 | fmt, 1, 10, 1, 0);
}
constexpr uint32_t to_int(uint32_t fmt, uint32_t kind, uint32_t rm) {
    return fp(0x60 | fmt, rm, 10, 1, kind);
}  // 0 w 1 wu 2 l 3 lu
constexpr uint32_t from_int(uint32_t fmt, uint32_t kind, uint32_t rm) {
    return fp(0x68 | fmt, rm, 10, 1, kind);
}
constexpr uint32_t fcvt_s_d(uint32_t rm) {
    return fp(0x20, rm, 10, 1, 1);
}
constexpr uint32_t fcvt_d_s(uint32_t rm) {
    return fp(0x21, rm, 10, 1, 0);
}
constexpr uint32_t fused(uint32_t op, uint32_t fmt, uint32_t rm) {
    return r4(op, fmt, rm, 10, 1, 2, 3);
}
constexpr uint32_t kFmadd = 0x43, kFmsub = 0x47, kFnmsub = 0x4b, kFnmadd = 0x4f;

struct Case {
    uint32_t insn;
    uint64_t a, b, c;  // f1, f2, f3 (a is also x1)
    uint64_t result;   // f10, or x10 for instructions that write an integer register
    uint64_t flags;
    const char* name;
    uint64_t frm = 0;
};

// Runs one case on a fresh machine; `to_x` says whether the result is x10 instead of f10.
void check(const Case& c, bool to_x = false) {
    INFO(c.name);
    RiscvMachine m;
    m.cpu.f[1] = c.a;
    m.cpu.f[2] = c.b;
    m.cpu.f[3] = c.c;
    m.cpu.x[1] = c.a;
    m.cpu.frm = c.frm;
    m.run({c.insn});
    REQUIRE(m.stopped_at_ebreak());
    CHECK((to_x ? m.cpu.x[10] : m.cpu.f[10]) == c.result);
    CHECK(m.cpu.fflags == c.flags);
}
void check_all(std::initializer_list<Case> cases, bool to_x = false) {
    for (const Case& c : cases) check(c, to_x);
}
}  // namespace

TEST_CASE("fadd in each static rounding mode: ties, signs, inexact", "[riscv][rvfd]") {
    constexpr uint32_t kHalfUlpS = 0x33800000;          // 2^-24: exactly half an ulp of 1.0f
    constexpr uint64_t kHalfUlpD = 0x3ca0000000000000;  // 2^-53
    check_all({
        {fadd(kSingle, kRne), S(kOneS), S(kHalfUlpS), 0, S(0x3f800000), kNX, "rne tie to even"},
        {fadd(kSingle, kRtz), S(kOneS), S(kHalfUlpS), 0, S(0x3f800000), kNX, "rtz"},
        {fadd(kSingle, kRdn), S(kOneS), S(kHalfUlpS), 0, S(0x3f800000), kNX, "rdn"},
        {fadd(kSingle, kRup), S(kOneS), S(kHalfUlpS), 0, S(0x3f800001), kNX, "rup"},
        {fadd(kSingle, kRmm), S(kOneS), S(kHalfUlpS), 0, S(0x3f800001), kNX, "rmm tie away"},
        {fadd(kSingle, kRne), S(kNegOneS), S(0xb3800000), 0, S(0xbf800000), kNX, "-: rne"},
        {fadd(kSingle, kRtz), S(kNegOneS), S(0xb3800000), 0, S(0xbf800000), kNX, "-: rtz"},
        {fadd(kSingle, kRdn), S(kNegOneS), S(0xb3800000), 0, S(0xbf800001), kNX, "-: rdn"},
        {fadd(kSingle, kRup), S(kNegOneS), S(0xb3800000), 0, S(0xbf800000), kNX, "-: rup"},
        {fadd(kSingle, kRmm), S(kNegOneS), S(0xb3800000), 0, S(0xbf800001), kNX, "-: rmm"},
        {fadd(kSingle, kRne), S(kOneS), S(0x33c00000), 0, S(0x3f800001), kNX, "rne above half"},
        {fadd(kSingle, kRne), S(kOneS), S(kTwoS), 0, S(kThreeS), 0, "exact"},
        {fadd(kSingle, kRne), S(kInfS), S(kNegInfS), 0, S(kQNanS), kNV, "inf - inf"},
        {fadd(kSingle, kRne), S(0x7fc12345), S(kOneS), 0, S(kQNanS), 0, "qNaN in, canonical NaN out"},
        {fadd(kSingle, kRne), S(kSNanS), S(kOneS), 0, S(kQNanS), kNV, "sNaN in"},
        {fadd(kDouble, kRne), kOneD, kHalfUlpD, 0, 0x3ff0000000000000, kNX, "d rne"},
        {fadd(kDouble, kRtz), kOneD, kHalfUlpD, 0, 0x3ff0000000000000, kNX, "d rtz"},
        {fadd(kDouble, kRup), kOneD, kHalfUlpD, 0, 0x3ff0000000000001, kNX, "d rup"},
        {fadd(kDouble, kRmm), kOneD, kHalfUlpD, 0, 0x3ff0000000000001, kNX, "d rmm"},
        {fadd(kDouble, kRne), kOneD, kTwoD, 0, kThreeD, 0, "d exact"},
        {fadd(kDouble, kRne), kSNanD, kOneD, 0, kQNanD, kNV, "d sNaN"},
    });
}

TEST_CASE("fsub, fmul, fdiv, fsqrt: results and flags", "[riscv][rvfd]") {
    check_all({
        {fsub(kSingle, kRne), S(kOneS), S(kOneS), 0, S(kPosZeroS), 0, "x - x = +0"},
        {fsub(kSingle, kRdn), S(kOneS), S(kOneS), 0, S(kNegZeroS), 0, "x - x = -0 rounding down"},
        {fsub(kDouble, kRdn), kOneD, kOneD, 0, kNegZeroD, 0, "d x - x = -0 rounding down"},
        {fsub(kDouble, kRne), kOneD, kThreeD, 0, 0xc000000000000000, 0, "d 1 - 3"},
        {fmul(kSingle, kRne), S(kMaxS), S(kTwoS), 0, S(kInfS), kOF | kNX, "overflow to inf"},
        {fmul(kSingle, kRtz), S(kMaxS), S(kTwoS), 0, S(kMaxS), kOF | kNX, "overflow rtz to max"},
        {fmul(kSingle, kRup), S(0xff7fffff), S(kTwoS), 0, S(0xff7fffff), kOF | kNX, "-overflow rup to -max"},
        {fmul(kSingle, kRdn), S(0xff7fffff), S(kTwoS), 0, S(kNegInfS), kOF | kNX, "-overflow rdn to -inf"},
        {fmul(kSingle, kRne), S(kInfS), S(kPosZeroS), 0, S(kQNanS), kNV, "inf * 0"},
        {fmul(kDouble, kRne), 1, 0x3fe0000000000000, 0, 0, kUF | kNX, "d tiny inexact -> 0"},
        {fmul(kDouble, kRup), 1, 0x3fe0000000000000, 0, 1, kUF | kNX, "d tiny inexact rup"},
        {fmul(kDouble, kRne), 0x0010000000000000, 0x3fe0000000000000, 0, 0x0008000000000000, 0, "d exact subnormal"},
        {fdiv(kSingle, kRne), S(kOneS), S(kPosZeroS), 0, S(kInfS), kDZ, "1 / 0"},
        {fdiv(kSingle, kRne), S(kNegOneS), S(kPosZeroS), 0, S(kNegInfS), kDZ, "-1 / 0"},
        {fdiv(kSingle, kRne), S(kPosZeroS), S(kPosZeroS), 0, S(kQNanS), kNV, "0 / 0"},
        {fdiv(kSingle, kRne), S(kOneS), S(kThreeS), 0, S(0x3eaaaaab), kNX, "1/3 rne"},
        {fdiv(kSingle, kRtz), S(kOneS), S(kThreeS), 0, S(0x3eaaaaaa), kNX, "1/3 rtz"},
        {fdiv(kDouble, kRne), kOneD, kThreeD, 0, 0x3fd5555555555555, kNX, "d 1/3 rne"},
        {fdiv(kDouble, kRup), kOneD, kThreeD, 0, 0x3fd5555555555556, kNX, "d 1/3 rup"},
        {fdiv(kDouble, kRne), kInfD, kInfD, 0, kQNanD, kNV, "d inf / inf"},
        {fdiv(kDouble, kRne), kOneD, 0, 0, kInfD, kDZ, "d 1 / 0"},
        {fsqrt(kSingle, kRne), S(0x40800000), 0, 0, S(kTwoS), 0, "sqrt 4"},
        {fsqrt(kSingle, kRne), S(kTwoS), 0, 0, S(0x3fb504f3), kNX, "sqrt 2 rne"},
        {fsqrt(kSingle, kRup), S(kTwoS), 0, 0, S(0x3fb504f4), kNX, "sqrt 2 rup"},
        {fsqrt(kSingle, kRne), S(kNegOneS), 0, 0, S(kQNanS), kNV, "sqrt -1"},
        {fsqrt(kSingle, kRne), S(kNegZeroS), 0, 0, S(kNegZeroS), 0, "sqrt -0"},
        {fsqrt(kDouble, kRne), kTwoD, 0, 0, 0x3ff6a09e667f3bcd, kNX, "d sqrt 2 rne"},
        {fsqrt(kDouble, kRtz), kTwoD, 0, 0, 0x3ff6a09e667f3bcc, kNX, "d sqrt 2 rtz"},
        {fsqrt(kDouble, kRne), kNegOneD, 0, 0, kQNanD, kNV, "d sqrt -1"},
    });
}

TEST_CASE("fused multiply-add: the four sign variants and a single rounding", "[riscv][rvfd]") {
    check_all({
        {fused(kFmadd, kSingle, kRne), S(kTwoS), S(kThreeS), S(kOneS), S(0x40e00000), 0, "fmadd.s 2*3+1"},
        {fused(kFmsub, kSingle, kRne), S(kTwoS), S(kThreeS), S(kOneS), S(0x40a00000), 0, "fmsub.s 2*3-1"},
        {fused(kFnmsub, kSingle, kRne), S(kTwoS), S(kThreeS), S(kOneS), S(0xc0a00000), 0, "fnmsub.s -(2*3)+1"},
        {fused(kFnmadd, kSingle, kRne), S(kTwoS), S(kThreeS), S(kOneS), S(0xc0e00000), 0, "fnmadd.s -(2*3)-1"},
        {fused(kFmadd, kDouble, kRne), kTwoD, kThreeD, kOneD, 0x401c000000000000, 0, "fmadd.d"},
        {fused(kFmsub, kDouble, kRne), kTwoD, kThreeD, kOneD, 0x4014000000000000, 0, "fmsub.d"},
        {fused(kFnmsub, kDouble, kRne), kTwoD, kThreeD, kOneD, 0xc014000000000000, 0, "fnmsub.d"},
        {fused(kFnmadd, kDouble, kRne), kTwoD, kThreeD, kOneD, 0xc01c000000000000, 0, "fnmadd.d"},
        // (1+2^-12)^2 - (1+2^-11) = 2^-24 exactly; rounding the product first would give 0.
        {fused(kFmadd, kSingle, kRne), S(0x3f800800), S(0x3f800800), S(0xbf801000), S(0x33800000), 0, "fmadd.s fused"},
        {fused(kFmadd, kDouble, kRne), 0x3ff0000000400000, 0x3ff0000000400000, 0xbff0000000800000, 0x3c30000000000000,
         0, "fmadd.d fused"},
        // An exact zero sum is +0 except when rounding down; fnmadd negates the product and the
        // addend, not the rounded result: -(1*1) - (-1) = +0.
        {fused(kFmadd, kSingle, kRne), S(kOneS), S(kOneS), S(kNegOneS), S(kPosZeroS), 0, "fmadd.s zero"},
        {fused(kFmadd, kSingle, kRdn), S(kOneS), S(kOneS), S(kNegOneS), S(kNegZeroS), 0, "fmadd.s zero rdn"},
        {fused(kFnmadd, kSingle, kRne), S(kOneS), S(kOneS), S(kNegOneS), S(kPosZeroS), 0, "fnmadd.s zero"},
        {fused(kFnmadd, kDouble, kRne), kOneD, kOneD, kNegOneD, 0, 0, "fnmadd.d zero"},
        {fused(kFmadd, kSingle, kRne), S(kInfS), S(kPosZeroS), S(kOneS), S(kQNanS), kNV, "inf*0+1"},
        // The spec requires NV for inf*0 even when the addend is a quiet NaN.
        {fused(kFmadd, kSingle, kRne), S(kInfS), S(kPosZeroS), S(kQNanS), S(kQNanS), kNV, "inf*0+qNaN"},
        {fused(kFmadd, kDouble, kRne), kOneD, kOneD, kQNanD, kQNanD, 0, "1*1+qNaN"},
        {fused(kFmadd, kDouble, kRne), kOneD, kOneD, kSNanD, kQNanD, kNV, "1*1+sNaN"},
    });
}

TEST_CASE("fmin/fmax order -0 below +0 and return the other operand for one NaN", "[riscv][rvfd]") {
    check_all({
        {fmin(kSingle), S(kNegZeroS), S(kPosZeroS), 0, S(kNegZeroS), 0, "fmin(-0,+0)"},
        {fmin(kSingle), S(kPosZeroS), S(kNegZeroS), 0, S(kNegZeroS), 0, "fmin(+0,-0)"},
        {fmax(kSingle), S(kNegZeroS), S(kPosZeroS), 0, S(kPosZeroS), 0, "fmax(-0,+0)"},
        {fmax(kSingle), S(kPosZeroS), S(kNegZeroS), 0, S(kPosZeroS), 0, "fmax(+0,-0)"},
        {fmin(kSingle), S(kNegOneS), S(kTwoS), 0, S(kNegOneS), 0, "fmin(-1,2)"},
        {fmax(kSingle), S(kNegOneS), S(kTwoS), 0, S(kTwoS), 0, "fmax(-1,2)"},
        {fmin(kSingle), S(kQNanS), S(kOneS), 0, S(kOneS), 0, "fmin(qNaN,1)"},
        {fmax(kSingle), S(kOneS), S(0x7fc12345), 0, S(kOneS), 0, "fmax(1,qNaN)"},
        {fmin(kSingle), S(kSNanS), S(kOneS), 0, S(kOneS), kNV, "fmin(sNaN,1)"},
        {fmin(kSingle), S(0x7fc12345), S(0xffc00001), 0, S(kQNanS), 0, "fmin(qNaN,qNaN) canonical"},
        {fmax(kSingle), S(kSNanS), S(kSNanS), 0, S(kQNanS), kNV, "fmax(sNaN,sNaN)"},
        {fmin(kSingle), kUnboxedOne, S(kTwoS), 0, S(kTwoS), 0, "unboxed operand is a quiet NaN"},
        {fmin(kDouble), kNegZeroD, 0, 0, kNegZeroD, 0, "fmin.d(-0,+0)"},
        {fmax(kDouble), kNegZeroD, 0, 0, 0, 0, "fmax.d(-0,+0)"},
        {fmax(kDouble), kSNanD, 0xc000000000000000, 0, 0xc000000000000000, kNV, "fmax.d(sNaN,-2)"},
        {fmin(kDouble), kQNanD, kQNanD, 0, kQNanD, 0, "fmin.d(qNaN,qNaN)"},
    });
}

TEST_CASE("feq/flt/fle: signed zeros equal, NaN compares false, quiet only for feq", "[riscv][rvfd]") {
    constexpr uint32_t kEq = 2, kLt = 1, kLe = 0;
    check_all(
        {
            {fcmp(kSingle, kEq), S(kOneS), S(kOneS), 0, 1, 0, "feq 1,1"},
            {fcmp(kSingle, kEq), S(kNegZeroS), S(kPosZeroS), 0, 1, 0, "feq -0,+0"},
            {fcmp(kSingle, kLt), S(kNegZeroS), S(kPosZeroS), 0, 0, 0, "flt -0,+0"},
            {fcmp(kSingle, kLe), S(kNegZeroS), S(kPosZeroS), 0, 1, 0, "fle -0,+0"},
            {fcmp(kSingle, kLt), S(kOneS), S(kTwoS), 0, 1, 0, "flt 1,2"},
            {fcmp(kSingle, kLe), S(kTwoS), S(kOneS), 0, 0, 0, "fle 2,1"},
            {fcmp(kSingle, kLt), S(kNegInfS), S(kNegOneS), 0, 1, 0, "flt -inf,-1"},
            {fcmp(kSingle, kEq), S(kQNanS), S(kOneS), 0, 0, 0, "feq qNaN: quiet"},
            {fcmp(kSingle, kEq), S(kSNanS), S(kOneS), 0, 0, kNV, "feq sNaN: NV"},
            {fcmp(kSingle, kLt), S(kQNanS), S(kOneS), 0, 0, kNV, "flt qNaN: NV"},
            {fcmp(kSingle, kLe), S(kOneS), S(kQNanS), 0, 0, kNV, "fle qNaN: NV"},
            {fcmp(kSingle, kEq), kUnboxedOne, kUnboxedOne, 0, 0, 0, "unboxed = canonical NaN"},
            {fcmp(kDouble, kEq), kQNanD, kQNanD, 0, 0, 0, "feq.d qNaN"},
            {fcmp(kDouble, kEq), kNegZeroD, 0, 0, 1, 0, "feq.d -0,+0"},
            {fcmp(kDouble, kLt), kQNanD, kOneD, 0, 0, kNV, "flt.d qNaN"},
            {fcmp(kDouble, kLe), kNegInfD, kInfD, 0, 1, 0, "fle.d -inf,inf"},
            {fcmp(kDouble, kLt), kOneD, kOneD, 0, 0, 0, "flt.d 1,1"},
        },
        true);
}

TEST_CASE("fclass sets exactly one bit per class", "[riscv][rvfd]") {
    const uint32_t singles[] = {kNegInfS,   kNegOneS, 0x80000001, kNegZeroS, kPosZeroS,
                                0x00000001, kOneS,    kInfS,      kSNanS,    kQNanS};
    const uint64_t doubles[] = {kNegInfD, kNegOneD, 0x800fffffffffffff, kNegZeroD, 0, 1, kOneD, kInfD, kSNanD, kQNanD};
    for (unsigned i = 0; i < 10; ++i) {
        check({fclass(kSingle), S(singles[i]), 0, 0, uint64_t(1) << i, 0, "fclass.s"}, true);
        check({fclass(kDouble), doubles[i], 0, 0, uint64_t(1) << i, 0, "fclass.d"}, true);
    }
    check({fclass(kSingle), kUnboxedOne, 0, 0, 1 << 9, 0, "fclass.s of an unboxed value: quiet NaN"}, true);
}

TEST_CASE("fcvt float -> integer: rounding, saturation, NV/NX, 32-bit results sign-extended", "[riscv][rvfd]") {
    constexpr uint32_t kW = 0, kWU = 1, kL = 2, kLU = 3;
    constexpr uint64_t kAll = ~uint64_t(0);
    check_all(
        {
            {to_int(kSingle, kW, kRtz), S(0x406ccccd), 0, 0, 3, kNX, "w.s 3.7 rtz"},
            {to_int(kSingle, kW, kRne), S(0x406ccccd), 0, 0, 4, kNX, "w.s 3.7 rne"},
            {to_int(kSingle, kW, kRne), S(0x40200000), 0, 0, 2, kNX, "w.s 2.5 rne"},
            {to_int(kSingle, kW, kRmm), S(0x40200000), 0, 0, 3, kNX, "w.s 2.5 rmm"},
            {to_int(kSingle, kW, kRup), S(0x40200000), 0, 0, 3, kNX, "w.s 2.5 rup"},
            {to_int(kSingle, kW, kRdn), S(0xc0200000), 0, 0, uint64_t(-3), kNX, "w.s -2.5 rdn"},
            {to_int(kSingle, kW, kRtz), S(0xc0200000), 0, 0, uint64_t(-2), kNX, "w.s -2.5 rtz"},
            {to_int(kSingle, kW, kRmm), S(0xc0200000), 0, 0, uint64_t(-3), kNX, "w.s -2.5 rmm"},
            {to_int(kSingle, kW, kRne), S(0x4f32d05e), 0, 0, 0x7fffffff, kNV, "w.s 3e9 saturates"},
            {to_int(kSingle, kW, kRne), S(0xcf32d05e), 0, 0, 0xffffffff80000000, kNV, "w.s -3e9"},
            {to_int(kSingle, kW, kRne), S(0xcf000000), 0, 0, 0xffffffff80000000, 0, "w.s -2^31 exact"},
            {to_int(kSingle, kW, kRne), S(kQNanS), 0, 0, 0x7fffffff, kNV, "w.s NaN"},
            {to_int(kSingle, kW, kRne), S(kInfS), 0, 0, 0x7fffffff, kNV, "w.s +inf"},
            {to_int(kSingle, kW, kRne), S(kNegInfS), 0, 0, 0xffffffff80000000, kNV, "w.s -inf"},
            {to_int(kSingle, kWU, kRne), S(0x4f32d05e), 0, 0, 0xffffffffb2d05e00, 0, "wu.s 3e9 sign-extended"},
            {to_int(kSingle, kWU, kRne), S(kNegOneS), 0, 0, 0, kNV, "wu.s -1"},
            {to_int(kSingle, kWU, kRtz), S(0xbf000000), 0, 0, 0, kNX, "wu.s -0.5 rounds to 0"},
            {to_int(kSingle, kWU, kRne), S(0x50000000), 0, 0, kAll, kNV, "wu.s 2^33"},
            {to_int(kSingle, kWU, kRne), S(kQNanS), 0, 0, kAll, kNV, "wu.s NaN"},
            {to_int(kSingle, kL, kRne), S(0x5f000000), 0, 0, 0x7fffffffffffffff, kNV, "l.s 2^63"},
            {to_int(kSingle, kL, kRne), S(0xdf000000), 0, 0, 0x8000000000000000, 0, "l.s -2^63"},
            {to_int(kSingle, kLU, kRne), S(0x5f000000), 0, 0, 0x8000000000000000, 0, "lu.s 2^63"},
            {to_int(kSingle, kLU, kRne), S(kNegOneS), 0, 0, 0, kNV, "lu.s -1"},
            {to_int(kSingle, kL, kRne), kUnboxedOne, 0, 0, 0x7fffffffffffffff, kNV, "l.s unboxed = NaN"},
            {to_int(kDouble, kW, kRne), 0x41dfffffffe00000, 0, 0, 0x7fffffff, kNV, "w.d 2^31-0.5 rne"},
            {to_int(kDouble, kW, kRtz), 0x41dfffffffe00000, 0, 0, 0x7fffffff, kNX, "w.d 2^31-0.5 rtz"},
            {to_int(kDouble, kW, kRtz), 0xc1e0000000100000, 0, 0, 0xffffffff80000000, kNX, "w.d -2^31-0.5 rtz"},
            {to_int(kDouble, kW, kRdn), 0xc1e0000000100000, 0, 0, 0xffffffff80000000, kNV, "w.d -2^31-0.5 rdn"},
            {to_int(kDouble, kWU, kRne), 0x41efffffffe00000, 0, 0, kAll, 0, "wu.d 2^32-1"},
            {to_int(kDouble, kWU, kRne), 0x41f0000000000000, 0, 0, kAll, kNV, "wu.d 2^32"},
            {to_int(kDouble, kWU, kRne), 0x41e0000000000000, 0, 0, 0xffffffff80000000, 0, "wu.d 2^31"},
            {to_int(kDouble, kL, kRne), kQNanD, 0, 0, 0x7fffffffffffffff, kNV, "l.d NaN"},
            {to_int(kDouble, kL, kRne), kNegInfD, 0, 0, 0x8000000000000000, kNV, "l.d -inf"},
            {to_int(kDouble, kL, kRne), 0x43e158e460913d00, 0, 0, 0x7fffffffffffffff, kNV, "l.d 1e19"},
            {to_int(kDouble, kLU, kRne), 0x43f0000000000000, 0, 0, kAll, kNV, "lu.d 2^64"},
            {to_int(kDouble, kLU, kRne), 0x3ff8000000000000, 0, 0, 2, kNX, "lu.d 1.5 rne"},
            {to_int(kDouble, kLU, kRne), kNegZeroD, 0, 0, 0, 0, "lu.d -0"},
        },
        true);
}

TEST_CASE("fcvt integer -> float: width of the source, rounding, boxing", "[riscv][rvfd]") {
    constexpr uint32_t kW = 0, kWU = 1, kL = 2, kLU = 3;
    check_all({
        {from_int(kSingle, kW, kRne), 0x00000000ffffffff, 0, 0, S(kNegOneS), 0, "s.w uses the low word, signed"},
        {from_int(kSingle, kWU, kRne), 0xffffffff00000001, 0, 0, S(kOneS), 0, "s.wu ignores the upper word"},
        {from_int(kSingle, kWU, kRne), 0xffffffff, 0, 0, S(0x4f800000), kNX, "s.wu 2^32-1 rne"},
        {from_int(kSingle, kWU, kRtz), 0xffffffff, 0, 0, S(0x4f7fffff), kNX, "s.wu 2^32-1 rtz"},
        {from_int(kSingle, kL, kRne), 0x1000001, 0, 0, S(0x4b800000), kNX, "s.l 2^24+1 rne"},
        {from_int(kSingle, kL, kRup), 0x1000001, 0, 0, S(0x4b800001), kNX, "s.l 2^24+1 rup"},
        {from_int(kSingle, kL, kRne), ~uint64_t(0), 0, 0, S(kNegOneS), 0, "s.l -1"},
        {from_int(kSingle, kLU, kRne), ~uint64_t(0), 0, 0, S(0x5f800000), kNX, "s.lu 2^64-1"},
        {from_int(kDouble, kW, kRne), 0x80000000, 0, 0, 0xc1e0000000000000, 0, "d.w -2^31"},
        {from_int(kDouble, kW, kRne), 0x100000005, 0, 0, 0x4014000000000000, 0, "d.w ignores the upper word"},
        {from_int(kDouble, kWU, kRne), 0x80000000, 0, 0, 0x41e0000000000000, 0, "d.wu 2^31"},
        {from_int(kDouble, kL, kRne), ~uint64_t(0), 0, 0, kNegOneD, 0, "d.l -1"},
        {from_int(kDouble, kL, kRne), 0x20000000000001, 0, 0, 0x4340000000000000, kNX, "d.l 2^53+1 rne"},
        {from_int(kDouble, kL, kRup), 0x20000000000001, 0, 0, 0x4340000000000001, kNX, "d.l 2^53+1 rup"},
        {from_int(kDouble, kLU, kRne), ~uint64_t(0), 0, 0, 0x43f0000000000000, kNX, "d.lu 2^64-1"},
    });
}

TEST_CASE("fcvt.s.d and fcvt.d.s", "[riscv][rvfd]") {
    check_all({
        {fcvt_s_d(kRne), 0x3fd5555555555555, 0, 0, S(0x3eaaaaab), kNX, "1/3 rne"},
        {fcvt_s_d(kRtz), 0x3fd5555555555555, 0, 0, S(0x3eaaaaaa), kNX, "1/3 rtz"},
        {fcvt_s_d(kRne), 0x7e37e43c8800759c, 0, 0, S(kInfS), kOF | kNX, "1e300 overflows"},
        {fcvt_s_d(kRtz), 0x7e37e43c8800759c, 0, 0, S(kMaxS), kOF | kNX, "1e300 rtz"},
        {fcvt_s_d(kRne), 1, 0, 0, S(kPosZeroS), kUF | kNX, "2^-1074 underflows"},
        {fcvt_s_d(kRup), 1, 0, 0, S(0x00000001), kUF | kNX, "2^-1074 rup"},
        {fcvt_s_d(kRne), kSNanD, 0, 0, S(kQNanS), kNV, "sNaN"},
        {fcvt_s_d(kRne), 0x7ff8000000000123, 0, 0, S(kQNanS), 0, "qNaN payload dropped"},
        {fcvt_s_d(kRne), kNegZeroD, 0, 0, S(kNegZeroS), 0, "-0"},
        {fcvt_d_s(kRne), S(0x3fc00000), 0, 0, 0x3ff8000000000000, 0, "1.5"},
        {fcvt_d_s(kRne), S(0x00000001), 0, 0, 0x36a0000000000000, 0, "single subnormal is a double normal"},
        {fcvt_d_s(kRne), S(kSNanS), 0, 0, kQNanD, kNV, "sNaN"},
        {fcvt_d_s(kRne), S(kNegInfS), 0, 0, kNegInfD, 0, "-inf"},
        {fcvt_d_s(kRne), kUnboxedOne, 0, 0, kQNanD, 0, "unboxed = canonical NaN"},
    });
}

TEST_CASE("sign injection, including fmv/fneg/fabs forms and unboxed inputs", "[riscv][rvfd]") {
    check_all({
        {fsgnj(kSingle, 0), S(kOneS), S(kNegZeroS), 0, S(kNegOneS), 0, "fsgnj.s"},
        {fsgnj(kSingle, 1), S(kOneS), S(kOneS), 0, S(kNegOneS), 0, "fsgnjn.s"},
        {fsgnj(kSingle, 2), S(kNegOneS), S(0xc0000000), 0, S(kOneS), 0, "fsgnjx.s"},
        {fsgnj(kSingle, 0), S(kSNanS), S(kNegOneS), 0, S(0xff800001), 0, "fsgnj.s keeps sNaN, no NV"},
        {fsgnj(kSingle, 0), kUnboxedOne, S(kNegOneS), 0, S(0xffc00000), 0, "fsgnj.s unboxed rs1 = NaN"},
        {fsgnj(kSingle, 0), S(kOneS), kUnboxedOne, 0, S(kOneS), 0, "fsgnj.s unboxed rs2 = +NaN sign"},
        {fsgnj(kDouble, 0), kOneD, kNegZeroD, 0, kNegOneD, 0, "fsgnj.d"},
        {fsgnj(kDouble, 1), kNegOneD, kNegZeroD, 0, kOneD, 0, "fsgnjn.d"},
        {fsgnj(kDouble, 2), kNegOneD, 0xc000000000000000, 0, kOneD, 0, "fsgnjx.d"},
        {fsgnj(kDouble, 0), kSNanD, kNegOneD, 0, 0xfff0000000000001, 0, "fsgnj.d keeps the payload"},
    });
    // rs1 == rs2: fmv.s, fneg.s, fabs.s.
    struct Same {
        uint32_t f3;
        uint64_t in, out;
    };
    for (const Same& c :
         {Same{0, S(kNegOneS), S(kNegOneS)}, Same{1, S(kOneS), S(kNegOneS)}, Same{2, S(0xc0000000), S(kTwoS)},
          Same{1, kUnboxedOne, S(0xffc00000)}, Same{2, 0x00000000bf800000, S(kQNanS)}}) {
        RiscvMachine m;
        m.cpu.f[4] = c.in;
        m.run({fp(0x10, c.f3, 10, 4, 4)});
        REQUIRE(m.stopped_at_ebreak());
        CHECK(m.cpu.f[10] == c.out);
    }
}

TEST_CASE("NaN-boxing: flw and fmv.w.x box, fmv.x.w and fsw move the low bits raw", "[riscv][rvfd]") {
    RiscvMachine m;
    m.store64(RiscvMachine::kData, 0x7f80000140490fdbull);
    m.store64(RiscvMachine::kData + 8, 0x8000000000000001ull);
    m.cpu.x[1] = RiscvMachine::kData;
    m.cpu.x[2] = 0x123456783f800000ull;
    m.cpu.f[5] = 0x1234567887654321ull;  // not boxed
    m.cpu.f[6] = S(0x80000000);
    m.cpu.f[7] = S(0x7fc00001);
    m.run({i_type(0, 1, 2, 10, 0x07),   // flw f10, 0(x1)
           i_type(4, 1, 2, 11, 0x07),   // flw f11, 4(x1): a signaling NaN, kept as is
           i_type(8, 1, 3, 12, 0x07),   // fld f12, 8(x1)
           fp(0x78, 0, 13, 2, 0),       // fmv.w.x f13, x2
           fp(0x70, 0, 20, 5, 0),       // fmv.x.w x20, f5
           fp(0x70, 0, 21, 6, 0),       // fmv.x.w x21, f6
           fp(0x70, 0, 22, 7, 0),       // fmv.x.w x22, f7
           fp(0x71, 0, 23, 5, 0),       // fmv.x.d x23, f5
           fp(0x79, 0, 14, 2, 0),       // fmv.d.x f14, x2
           s_type(16, 5, 1, 2, 0x27),   // fsw f5, 16(x1)
           s_type(24, 12, 1, 3, 0x27),  // fsd f12, 24(x1)
           fp(0x00, kRne, 15, 5, 6)});  // fadd.s f15, f5 (unboxed), f6
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.f[10] == S(0x40490fdb));
    CHECK(m.cpu.f[11] == S(0x7f800001));
    CHECK(m.cpu.f[12] == 0x8000000000000001ull);
    CHECK(m.cpu.f[13] == S(0x3f800000));
    CHECK(m.cpu.x[20] == 0xffffffff87654321ull);
    CHECK(m.cpu.x[21] == 0xffffffff80000000ull);
    CHECK(m.cpu.x[22] == 0x7fc00001);
    CHECK(m.cpu.x[23] == 0x1234567887654321ull);
    CHECK(m.cpu.f[14] == 0x123456783f800000ull);
    CHECK(m.load64(RiscvMachine::kData + 16) == 0x87654321);
    CHECK(m.load64(RiscvMachine::kData + 24) == 0x8000000000000001ull);
    CHECK(m.cpu.f[15] == S(kQNanS));  // the unboxed operand reads as the canonical (quiet) NaN
    CHECK(m.cpu.fflags == 0);
}

TEST_CASE("fflags accrue, an integer conversion to x0 still raises its flags", "[riscv][rvfd]") {
    RiscvMachine m;
    m.cpu.fflags = kNX;
    m.cpu.f[1] = S(kOneS);
    m.cpu.f[2] = S(kPosZeroS);
    m.cpu.f[3] = S(kQNanS);
    m.run({fp(0x0c, kRne, 10, 1, 2),   // fdiv.s: DZ
           fp(0x60, kRne, 0, 3, 0)});  // fcvt.w.s x0, NaN: NV
    REQUIRE(m.stopped_at_ebreak());
    CHECK(m.cpu.fflags == (kNX | kDZ | kNV));
    CHECK(m.cpu.x[0] == 0);
}

TEST_CASE("dynamic rounding takes frm, a static mode overrides it", "[riscv][rvfd]") {
    check_all({
        {fdiv(kSingle, kDyn), S(kOneS), S(kThreeS), 0, S(0x3eaaaaaa), kNX, "frm rtz", kRtz},
        {fdiv(kSingle, kDyn), S(kOneS), S(kThreeS), 0, S(0x3eaaaaab), kNX, "frm rne", kRne},
        {fadd(kSingle, kDyn), S(kOneS), S(0x33800000), 0, S(0x3f800001), kNX, "frm rup", kRup},
        {fadd(kSingle, kRne), S(kOneS), S(0x33800000), 0, S(0x3f800000), kNX, "static rne, frm rup", kRup},
        {fsub(kDouble, kDyn), kOneD, kOneD, 0, kNegZeroD, 0, "frm rdn", kRdn},
        {fused(kFmadd, kDouble, kDyn), kOneD, 0x3ca0000000000000, kOneD, 0x3ff0000000000001, kNX, "fmadd.d frm rmm",
         kRmm},
        {fsqrt(kDouble, kDyn), kTwoD, 0, 0, 0x3ff6a09e667f3bcc, kNX, "fsqrt.d frm rdn", kRdn},
    });
    check({to_int(kSingle, 0, kDyn), S(0x40200000), 0, 0, 3, kNX, "fcvt.w.s frm rmm", kRmm}, true);
    check({from_int(kSingle, 2, kDyn), 0x1000001, 0, 0, S(0x4b800001), kNX, "fcvt.s.l frm rup", kRup});
    // Instructions without a rounding mode do not care that frm is invalid.
    check({fmin(kSingle), S(kOneS), S(kTwoS), 0, S(kOneS), 0, "fmin.s, frm 7", 7});
    check({fsgnj(kDouble, 1), kOneD, kOneD, 0, kNegOneD, 0, "fsgnjn.d, frm 5", 5});
    check({fcmp(kDouble, 1), kOneD, kTwoD, 0, 1, 0, "flt.d, frm 6", 6}, true);
}

TEST_CASE("a dynamic rounding mode with frm 5..7 is an illegal instruction, nothing changes", "[riscv][rvfd][faults]") {
    const uint32_t insns[] = {
        fadd(kSingle, kDyn),      fdiv(kDouble, kDyn),        fsqrt(kSingle, kDyn), fused(kFmadd, kDouble, kDyn),
        to_int(kDouble, 0, kDyn), from_int(kSingle, 2, kDyn), fcvt_s_d(kDyn)};
    for (uint64_t frm : {5, 6, 7}) {
        for (uint32_t insn : insns) {
            INFO("frm " << frm << " insn " << std::hex << insn);
            RiscvMachine m;
            m.cpu.frm = frm;
            m.cpu.fflags = kUF;
            m.cpu.f[1] = S(kOneS);
            m.cpu.f[2] = S(kThreeS);
            m.cpu.f[3] = S(kOneS);
            m.cpu.x[1] = 0x1000001;
            m.cpu.f[10] = 0x5555;
            m.cpu.x[10] = 0x6666;
            m.run({addi(5, 0, 1), insn, addi(6, 0, 1)});
            REQUIRE(m.exit.kind == BlockExit::Kind::kException);
            CHECK(m.cpu.header.exception_cause == riscv::kIllegalInstruction);
            CHECK(m.cpu.header.exception_tval == insn);
            CHECK(m.cpu.header.pc == RiscvMachine::kCode + 4);
            CHECK(m.cpu.fflags == kUF);
            CHECK(m.cpu.f[10] == 0x5555);
            CHECK(m.cpu.x[10] == 0x6666);
            CHECK(m.cpu.x[5] == 1);
            CHECK(m.cpu.x[6] == 0);
        }
    }
}

TEST_CASE("a static rounding mode of 5 or 6 is an illegal instruction", "[riscv][rvfd][faults]") {
    for (uint32_t rm : {5u, 6u}) {
        for (uint32_t insn : {fadd(kSingle, rm), fmul(kDouble, rm), fsqrt(kDouble, rm), fused(kFnmsub, kSingle, rm),
                              to_int(kSingle, 3, rm), from_int(kDouble, 0, rm), fcvt_s_d(rm)}) {
            INFO("insn " << std::hex << insn);
            RiscvMachine m;
            m.cpu.f[10] = 0x5555;
            m.run({insn});
            REQUIRE(m.exit.kind == BlockExit::Kind::kException);
            CHECK(m.cpu.header.exception_cause == riscv::kIllegalInstruction);
            CHECK(m.cpu.header.exception_tval == insn);
            CHECK(m.cpu.header.pc == RiscvMachine::kCode);
            CHECK(m.cpu.f[10] == 0x5555);
            CHECK(m.cpu.fflags == 0);
        }
    }
}
