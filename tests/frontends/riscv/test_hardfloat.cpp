// Differential test of the host-FPU fast paths (frontends/riscv/hardfloat.h): every F/D helper,
// called directly on random and edge-case registers (unboxed singles included) in every rounding
// mode, static and dynamic, and with fflags.NX clear, set or among other flags, must give the
// register bits, fflags and exceptions that softfloat alone gives.
#include <array>
#include <catch2/catch.hpp>
#include <cfenv>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "frontends/riscv/cpu.h"
#include "frontends/riscv/hardfloat.h"
#include "frontends/riscv/helpers.h"
#include "tests/frontends/riscv/softfloat_host_util.h"

namespace riscv = mimic::riscv;
namespace sf = mimic::riscv::softfloat;
namespace hf = mimic::riscv::hardfloat;
using namespace mimic::test_softfloat;

namespace {

constexpr int kCasesPerHelper = 100000;

// Registers as the helpers see them: singles NaN-boxed, 32-bit integers sign-extended.
template <typename T>
T unbox(uint64_t reg) {
    if constexpr (sizeof(T) == 4) {
        return reg >> 32 == 0xffff'ffff ? uint32_t(reg) : Traits<uint32_t>::kCanonicalNan;
    } else {
        return reg;
    }
}
template <typename T>
uint64_t box(T v) {
    if constexpr (sizeof(T) == 4) {
        return 0xffff'ffff'0000'0000 | v;
    } else {
        return v;
    }
}
template <typename I>
uint64_t x_reg(I v) {
    if constexpr (sizeof(I) == 4) {
        return uint64_t(int64_t(int32_t(v)));
    } else {
        return uint64_t(v);
    }
}

// A single left unboxed now and then (then it reads as the canonical NaN).
template <typename T>
uint64_t f_reg(OperandGen& g, T v) {
    if (sizeof(T) == 4 && g.below(32) == 0) return (g.below(2) ? 0 : g.bits() << 32) | v;
    return box(v);
}

// Clears low fraction bits, so that products, quotients and roots of such values may be exact.
template <typename T>
T shorten(OperandGen& g, T x) {
    const int cleared = int(g.below(Traits<T>::kFracBits + 1));
    return x & ~((T{1} << cleared) - 1);
}

template <typename T>
T mul_rne(T a, T b) {
    Status st{kRne};
    return Lib<T>::mul(a, b, st);
}

// Values around integers and the integer types' limits: k, k + 1/4, 1/2 or 3/4, a few ulps off.
template <typename T>
T near_integer(OperandGen& g) {
    using L = Lib<T>;
    Status st{kRne};
    const uint64_t v = g.below(2) ? int_operand<uint64_t>(g)[0] : g.bits() >> g.below(64);
    T x = L::from_u64(v, st);
    if (g.below(2)) x = L::add(x, L::div(L::from_u32(1 + g.below(3), st), L::from_u32(4, st), st), st);
    if (g.below(2)) x = T(x + g.below(5) - 2);
    return g.below(2) ? x ^ kSign<T> : x;
}

using Regs = std::array<uint64_t, 3>;
using Draw = std::function<Regs(OperandGen&)>;
using Ref = std::function<uint64_t(const Regs&, Status&)>;
using Helper = uint64_t (*)(mimic::CpuHeader*, uint64_t, uint64_t, uint64_t, uint64_t);

// Where a helper takes insn: after one, two or three operands, or not at all (no rounding mode).
enum class Shape { kUnary, kBinary, kFused, kUnrounded };

struct Op {
    std::string name;
    Shape shape;
    Helper helper;
    Draw draw;
    Ref ref;
};

template <typename T>
Regs regs_of(OperandGen& g, std::initializer_list<T> values) {
    Regs r{};
    size_t i = 0;
    for (const T v : values) r[i++] = f_reg(g, v);
    return r;
}

template <typename T>
Draw draw_pair() {
    return [](OperandGen& g) {
        auto [a, b] = two_operands<T>(g);
        if (g.below(3) == 0) a = shorten(g, a), b = shorten(g, b);
        return regs_of<T>(g, {a, b});
    };
}
// Dividends that are often an exact multiple of the divisor.
template <typename T>
Draw draw_quotient() {
    return [](OperandGen& g) {
        auto [a, b] = two_operands<T>(g);
        if (g.below(2) == 0) a = mul_rne(shorten(g, b), shorten(g, g.any<T>()));
        return regs_of<T>(g, {a, b});
    };
}
// Radicands that are often exact squares.
template <typename T>
Draw draw_radicand() {
    return [](OperandGen& g) {
        T a = g.any<T>();
        if (g.below(2) == 0) a = mul_rne(a, a);
        if (g.below(2) == 0) a = mul_rne(shorten(g, a), shorten(g, a));
        return regs_of<T>(g, {a});
    };
}
template <typename T>
Draw draw_triple() {
    return [](OperandGen& g) {
        auto [a, b, c] = three_operands<T>(g);
        if (g.below(3) == 0) a = shorten(g, a), b = shorten(g, b), c = shorten(g, c);
        return regs_of<T>(g, {a, b, c});
    };
}
template <typename T>
Draw draw_single() {
    return [](OperandGen& g) { return regs_of<T>(g, {g.below(2) ? g.any<T>() : near_integer<T>(g)}); };
}
template <typename I>
Draw draw_int() {
    return [](OperandGen& g) { return Regs{x_reg(int_operand<I>(g)[0]), 0, 0}; };
}

template <typename T, typename Fn>
Ref ref2(Fn fn) {
    return [fn](const Regs& r, Status& st) { return uint64_t(fn(unbox<T>(r[0]), unbox<T>(r[1]), st)); };
}
template <typename T>
Ref ref2_box(T (*fn)(T, T, Status&)) {
    return [fn](const Regs& r, Status& st) { return box(fn(unbox<T>(r[0]), unbox<T>(r[1]), st)); };
}
template <typename T>
Ref ref_fused(bool negate_product, bool negate_addend) {
    return [=](const Regs& r, Status& st) {
        return box(Lib<T>::muladd(unbox<T>(r[0]), unbox<T>(r[1]), unbox<T>(r[2]), st, negate_product, negate_addend));
    };
}
template <typename T, typename I>
Ref ref_to_int(I (*fn)(T, Status&)) {
    return [fn](const Regs& r, Status& st) { return x_reg(fn(unbox<T>(r[0]), st)); };
}
template <typename T, typename I>
Ref ref_from_int(T (*fn)(I, Status&)) {
    return [fn](const Regs& r, Status& st) { return box(fn(I(r[0]), st)); };
}

#define HELPER(name) &riscv::helper_##name

template <typename T>
std::vector<Op> ops_of_format(bool single) {
    using L = Lib<T>;
    const auto pick = [single](Helper s, Helper d) { return single ? s : d; };
    const std::string p = single ? "s" : "d";
    std::vector<Op> ops = {
        {"fadd." + p, Shape::kBinary, pick(HELPER(fadd_s), HELPER(fadd_d)), draw_pair<T>(), ref2_box<T>(L::add)},
        {"fsub." + p, Shape::kBinary, pick(HELPER(fsub_s), HELPER(fsub_d)), draw_pair<T>(), ref2_box<T>(L::sub)},
        {"fmul." + p, Shape::kBinary, pick(HELPER(fmul_s), HELPER(fmul_d)), draw_pair<T>(), ref2_box<T>(L::mul)},
        {"fdiv." + p, Shape::kBinary, pick(HELPER(fdiv_s), HELPER(fdiv_d)), draw_quotient<T>(), ref2_box<T>(L::div)},
        {"fsqrt." + p, Shape::kUnary, pick(HELPER(fsqrt_s), HELPER(fsqrt_d)), draw_radicand<T>(),
         [](const Regs& r, Status& st) { return box(L::sqrt(unbox<T>(r[0]), st)); }},
        {"fmadd." + p, Shape::kFused, pick(HELPER(fmadd_s), HELPER(fmadd_d)), draw_triple<T>(), ref_fused<T>(0, 0)},
        {"fmsub." + p, Shape::kFused, pick(HELPER(fmsub_s), HELPER(fmsub_d)), draw_triple<T>(), ref_fused<T>(0, 1)},
        {"fnmsub." + p, Shape::kFused, pick(HELPER(fnmsub_s), HELPER(fnmsub_d)), draw_triple<T>(), ref_fused<T>(1, 0)},
        {"fnmadd." + p, Shape::kFused, pick(HELPER(fnmadd_s), HELPER(fnmadd_d)), draw_triple<T>(), ref_fused<T>(1, 1)},
        {"fmin." + p, Shape::kUnrounded, pick(HELPER(fmin_s), HELPER(fmin_d)), draw_pair<T>(), ref2_box<T>(L::min)},
        {"fmax." + p, Shape::kUnrounded, pick(HELPER(fmax_s), HELPER(fmax_d)), draw_pair<T>(), ref2_box<T>(L::max)},
        {"feq." + p, Shape::kUnrounded, pick(HELPER(feq_s), HELPER(feq_d)), draw_pair<T>(), ref2<T>(L::eq)},
        {"flt." + p, Shape::kUnrounded, pick(HELPER(flt_s), HELPER(flt_d)), draw_pair<T>(), ref2<T>(L::lt)},
        {"fle." + p, Shape::kUnrounded, pick(HELPER(fle_s), HELPER(fle_d)), draw_pair<T>(), ref2<T>(L::le)},
        {"fcvt.w." + p, Shape::kUnary, pick(HELPER(fcvt_w_s), HELPER(fcvt_w_d)), draw_single<T>(),
         ref_to_int(L::to_i32)},
        {"fcvt.wu." + p, Shape::kUnary, pick(HELPER(fcvt_wu_s), HELPER(fcvt_wu_d)), draw_single<T>(),
         ref_to_int(L::to_u32)},
        {"fcvt.l." + p, Shape::kUnary, pick(HELPER(fcvt_l_s), HELPER(fcvt_l_d)), draw_single<T>(),
         ref_to_int(L::to_i64)},
        {"fcvt.lu." + p, Shape::kUnary, pick(HELPER(fcvt_lu_s), HELPER(fcvt_lu_d)), draw_single<T>(),
         ref_to_int(L::to_u64)},
        {"fcvt." + p + ".w", Shape::kUnary, pick(HELPER(fcvt_s_w), HELPER(fcvt_d_w)), draw_int<int32_t>(),
         ref_from_int(L::from_i32)},
        {"fcvt." + p + ".wu", Shape::kUnary, pick(HELPER(fcvt_s_wu), HELPER(fcvt_d_wu)), draw_int<uint32_t>(),
         ref_from_int(L::from_u32)},
        {"fcvt." + p + ".l", Shape::kUnary, pick(HELPER(fcvt_s_l), HELPER(fcvt_d_l)), draw_int<int64_t>(),
         ref_from_int(L::from_i64)},
        {"fcvt." + p + ".lu", Shape::kUnary, pick(HELPER(fcvt_s_lu), HELPER(fcvt_d_lu)), draw_int<uint64_t>(),
         ref_from_int(L::from_u64)},
    };
    if (single) {
        ops.push_back({"fcvt.s.d", Shape::kUnary, HELPER(fcvt_s_d), draw_single<uint64_t>(),
                       [](const Regs& r, Status& st) { return box(sf::f64_to_f32(r[0], st)); }});
    } else {
        ops.push_back({"fcvt.d.s", Shape::kUnary, HELPER(fcvt_d_s), draw_single<uint32_t>(),
                       [](const Regs& r, Status& st) { return sf::f32_to_f64(unbox<uint32_t>(r[0]), st); }});
    }
    return ops;
}

#undef HELPER

// Rounding modes as insn's rm field and frm: mostly round-to-nearest-even, where the fast paths
// run, static and dynamic; the other four; now and then a reserved one.
struct Rounding {
    uint64_t field, frm;
};
Rounding draw_rounding(OperandGen& g) {
    const uint64_t frm = g.below(8);
    switch (g.below(10)) {
        case 0:
        case 1:
        case 2: return {0, frm};
        case 3:
        case 4: return {7, 0};
        case 5: return {7, g.below(8)};
        case 6: return {5 + g.below(2), frm};
        default: return {g.below(5), frm};
    }
}

uint64_t draw_fflags(OperandGen& g) {
    switch (g.below(3)) {
        case 0: return 0;
        case 1: return kNX;
        default: return g.below(32);
    }
}

void check_against_softfloat(const Op& op) {
    OperandGen gen(seed_of("hardfloat " + op.name));
    const auto cpu = std::make_unique<riscv::CpuState>();
    mimic::CpuHeader* env = &cpu->header;
    Mismatches mismatches;
    for (int i = 0; i < kCasesPerHelper; ++i) {
        const Regs r = op.draw(gen);
        const Rounding rounding = draw_rounding(gen);
        const uint64_t flags = draw_fflags(gen);
        const uint64_t insn = rounding.field << 12;
        cpu->fflags = flags;
        cpu->frm = rounding.frm;
        env->exception_pending = 0;
        env->exception_cause = env->exception_tval = 0;
        uint64_t got = 0;
        switch (op.shape) {
            case Shape::kUnary: got = op.helper(env, r[0], insn, 0, 0); break;
            case Shape::kBinary: got = op.helper(env, r[0], r[1], insn, 0); break;
            case Shape::kFused: got = op.helper(env, r[0], r[1], r[2], insn); break;
            case Shape::kUnrounded: got = op.helper(env, r[0], r[1], 0, 0); break;
        }
        const uint64_t rm = rounding.field == 7 ? rounding.frm : rounding.field;
        const bool reserved = op.shape != Shape::kUnrounded && rm > 4;
        uint64_t want = 0, want_flags = flags;
        if (!reserved) {
            Status st{RoundingMode(op.shape == Shape::kUnrounded ? 0 : rm)};
            want = op.ref(r, st);
            want_flags |= st.flags;
        }
        const bool raised = env->exception_pending != 0 && env->exception_cause == riscv::kIllegalInstruction &&
                            env->exception_tval == insn;
        mismatches.check(got == want && cpu->fflags == want_flags && raised == reserved, [&] {
            return op.name + " rm=" + std::to_string(rounding.field) + " frm=" + std::to_string(rounding.frm) +
                   " fflags=" + hex(flags) + " regs=" + hex(r[0]) + " " + hex(r[1]) + " " + hex(r[2]) +
                   " got=" + hex(got) + "/" + hex(cpu->fflags) + (env->exception_pending ? " raised" : "") +
                   " want=" + hex(want) + "/" + hex(want_flags) + (reserved ? " raised" : "");
        });
    }
    INFO(op.name);
    CHECK(mismatches.count() == 0);
    CHECK(mismatches.cases() == kCasesPerHelper);
}

}  // namespace

TEST_CASE("F/D helpers with host fast paths give softfloat's bits, fflags and exceptions", "[softfloat][hardfloat]") {
    std::fesetround(FE_TONEAREST);  // the fast paths rely on the host's default rounding
    for (const bool single : {true, false}) {
        const auto ops = single ? ops_of_format<uint32_t>(true) : ops_of_format<uint64_t>(false);
        for (const Op& op : ops) check_against_softfloat(op);
    }
}

namespace {

// A normal value well inside the exponent range, so that results are neither tiny nor huge.
template <typename T>
T mid_range(OperandGen& g) {
    const T exp = T(kBias<T> + int(g.below(81)) - 40);
    return (g.below(2) ? kSign<T> : 0) | exp << Traits<T>::kFracBits | (T(g.bits()) & kFracMask<T>);
}

constexpr int kTries = 4000;

// Checks that `fast(ops, fflags)` decides at least `with_nx_clear` and `with_nx_set` of kTries
// draws of mid-range operands.
template <typename T, size_t N, typename Fast>
void expect_decided(const std::string& name, int with_nx_clear, int with_nx_set, Fast fast) {
    OperandGen gen(seed_of("decided " + name));
    std::array<int, 2> count{};
    for (int nx = 0; nx < 2; ++nx) {
        for (int i = 0; i < kTries; ++i) {
            std::array<T, N> ops;
            for (T& op : ops) op = mid_range<T>(gen);
            uint64_t fflags = nx;
            count[nx] += fast(ops, fflags) ? 1 : 0;
        }
    }
    INFO(name << " (" << sizeof(T) * 8 << " bits): decided " << count[0] << " and " << count[1] << " of " << kTries);
    CHECK(count[0] >= with_nx_clear);
    CHECK(count[1] >= with_nx_set);
}

template <typename T>
void check_decided() {
    using H = std::conditional_t<sizeof(T) == 4, float, double>;
    constexpr auto kRne = sf::RoundingMode::kNearestEven;
    constexpr int kMost = kTries * 39 / 40;
    const auto binary = [&](const char* name, auto fn) {
        expect_decided<T, 2>(name, kMost, kMost,
                             [&](const auto& o, uint64_t& f) { return fn(o[0], o[1], kRne, f).has_value(); });
    };
    binary("add", hf::add<H>);
    binary("sub", hf::sub<H>);
    binary("mul", hf::mul<H>);
    binary("div", hf::div<H>);
    expect_decided<T, 1>("sqrt", kTries, kTries, [&](const auto& o, uint64_t& f) {
        return hf::sqrt<H>(o[0] & ~kSign<T>, kRne, f).has_value();
    });
    expect_decided<T, 3>("muladd", 0, hf::kHostFma ? kMost : 0, [&](const auto& o, uint64_t& f) {
        return hf::muladd<H>(o[0], o[1], o[2], false, false, kRne, f).has_value();
    });
    expect_decided<T, 2>("lt", kTries, kTries,
                         [&](const auto& o, uint64_t&) { return hf::lt<H>(o[0], o[1]).has_value(); });
    expect_decided<T, 1>("to_int", kTries, kTries, [&](const auto& o, uint64_t& f) {
        const T small = (o[0] & (kSign<T> | kFracMask<T>)) | T(kBias<T> + 10) << Traits<T>::kFracBits;
        return hf::to_int<H, int32_t>(small, sf::RoundingMode::kTowardZero, f).has_value();
    });
}

}  // namespace

// The fast paths must actually run: on normal operands in round-to-nearest-even they decide
// almost every case (fused multiply-add only once NX is set).
TEST_CASE("hardfloat decides most operations on normal operands", "[softfloat][hardfloat]") {
    if (!hf::kEnabled) return;
    check_decided<uint32_t>();
    check_decided<uint64_t>();
}
