// F and D: the translation shared by both precisions (trans_rvf.cpp and trans_rvd.cpp bind the
// encodings of each to it).
#include "frontends/riscv/trans_rvfd.h"

#include <functional>
#include <utility>

#include "frontends/riscv/immediates.h"
#include "frontends/riscv/softfloat.h"
#include "frontends/riscv/tb_flags.h"

namespace mimic::riscv {

using ir::Builder;

namespace {

constexpr uint64_t kBox = 0xffff'ffff'0000'0000;  // the upper half of a NaN-boxed single

constexpr bool reserved_rm(uint32_t rm) {
    return rm == 5 || rm == 6;
}

constexpr uint32_t kRmNearestEven = 0;
constexpr uint32_t kRmDynamic = 7;

}  // namespace

// The helpers with an IEEE form (ir::IeeeOp) for round to nearest even.
const ir::HelperInfo* FpTranslator::rne_form(const ir::HelperInfo& h) {
    static constexpr std::pair<const ir::HelperInfo*, const ir::HelperInfo*> kForms[] = {
        {&kHelper_fadd_s, &kHelper_fadd_s_rne},     {&kHelper_fsub_s, &kHelper_fsub_s_rne},
        {&kHelper_fmul_s, &kHelper_fmul_s_rne},     {&kHelper_fdiv_s, &kHelper_fdiv_s_rne},
        {&kHelper_fsqrt_s, &kHelper_fsqrt_s_rne},   {&kHelper_fadd_d, &kHelper_fadd_d_rne},
        {&kHelper_fsub_d, &kHelper_fsub_d_rne},     {&kHelper_fmul_d, &kHelper_fmul_d_rne},
        {&kHelper_fdiv_d, &kHelper_fdiv_d_rne},     {&kHelper_fsqrt_d, &kHelper_fsqrt_d_rne},
        {&kHelper_fmadd_s, &kHelper_fmadd_s_rne},   {&kHelper_fmsub_s, &kHelper_fmsub_s_rne},
        {&kHelper_fnmsub_s, &kHelper_fnmsub_s_rne}, {&kHelper_fnmadd_s, &kHelper_fnmadd_s_rne},
        {&kHelper_fmadd_d, &kHelper_fmadd_d_rne},   {&kHelper_fmsub_d, &kHelper_fmsub_d_rne},
        {&kHelper_fnmsub_d, &kHelper_fnmsub_d_rne}, {&kHelper_fnmadd_d, &kHelper_fnmadd_d_rne},
    };
    for (const auto& [general, rne] : kForms)
        if (general == &h) return rne;
    return nullptr;
}

Value FpTranslator::address(uint32_t rs1, int64_t offset) {
    return b.add(c.x(rs1), Builder::i64(uint64_t(offset)));
}

// A single operand that is not properly boxed reads as the canonical NaN (kept boxed here, so that
// sign injection of boxed values gives a boxed result).
Value FpTranslator::unbox(Value reg) {
    const Value boxed = b.cmp(ir::Cond::kGeU, reg, Builder::i64(kBox));
    return b.select(boxed, reg, Builder::i64(kBox | softfloat::kF32CanonicalNan));
}

bool FpTranslator::load(Format fmt, uint32_t imm, uint32_t rs1, uint32_t rd) {
    const Value addr = address(rs1, imm_i(imm));
    if (fmt == Format::kSingle)
        c.set_f(rd, b.or_(b.load(ir::Type::kI64, c.mem(ir::MemOp::u32()), addr), Builder::i64(kBox)));
    else
        c.set_f(rd, b.load(ir::Type::kI64, c.mem(ir::MemOp::u64()), addr));
    return true;
}

// fsw stores the low 32 bits as they are, boxed or not.
bool FpTranslator::store(Format fmt, uint32_t hi, uint32_t rs2, uint32_t rs1, uint32_t lo) {
    const ir::MemOp op = fmt == Format::kSingle ? ir::MemOp::u32() : ir::MemOp::u64();
    b.store(c.mem(op), address(rs1, imm_s(hi, lo)), c.f(rs2));
    return true;
}

bool FpTranslator::sign_inject(Format fmt, SignOp op, uint32_t rs2, uint32_t rs1, uint32_t rd) {
    const bool single = fmt == Format::kSingle;
    const Value a = single ? unbox(c.f(rs1)) : c.f(rs1);
    const Value sign = Builder::i64(single ? uint64_t(1) << 31 : uint64_t(1) << 63);
    if (rs1 == rs2) {
        // fmv, fneg and fabs, the forms compilers emit, in one operation each.
        switch (op) {
            case SignOp::kCopy: c.set_f(rd, a); break;
            case SignOp::kNegate: c.set_f(rd, b.xor_(a, sign)); break;
            case SignOp::kXor: c.set_f(rd, b.and_(a, b.not_(sign))); break;
        }
        return true;
    }
    const Value s = single ? unbox(c.f(rs2)) : c.f(rs2);
    switch (op) {
        case SignOp::kCopy: c.set_f(rd, b.or_(b.and_(a, b.not_(sign)), b.and_(s, sign))); break;
        case SignOp::kNegate: c.set_f(rd, b.or_(b.and_(a, b.not_(sign)), b.and_(b.not_(s), sign))); break;
        case SignOp::kXor: c.set_f(rd, b.xor_(a, b.and_(s, sign))); break;
    }
    return true;
}

// The helpers take the raw f registers (they unbox singles themselves) and, last, the instruction:
// its rm field and, for an illegal dynamic mode, its tval.
bool FpTranslator::unary(const ir::HelperInfo& h, uint32_t rs1, uint32_t rm, uint32_t rd) {
    if (reserved_rm(rm)) return false;
    const Value x = c.f(rs1);
    rounded(
        h, rm, [&](const ir::HelperInfo& rne) { return c.call(rne, {x}); },
        [&] {
            return c.call(h, {x, Builder::i64(c.raw)});
        },
        rd);
    return true;
}

bool FpTranslator::binary(const ir::HelperInfo& h, uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
    if (reserved_rm(rm)) return false;
    const Value x = c.f(rs1), y = c.f(rs2);
    rounded(
        h, rm,
        [&](const ir::HelperInfo& rne) {
            return c.call(rne, {x, y});
        },
        [&] {
            return c.call(h, {x, y, Builder::i64(c.raw)});
        },
        rd);
    return true;
}

// f[rd] = the operation: its RNE form (an IEEE helper, which the compiling tiers compute on the
// host's FPU) where the rounding is RNE, a static rm or a dynamic one in a block translated for
// frm = RNE (the TB flags say); elsewhere the general helper.
void FpTranslator::rounded(const ir::HelperInfo& h, uint32_t rm, const std::function<Value(const ir::HelperInfo&)>& rne,
                           const std::function<Value()>& general, uint32_t rd) {
    const ir::HelperInfo* form = rne_form(h);
    const bool is_rne = rm == kRmNearestEven || (rm == kRmDynamic && !(c.flags & tb_flags::kFrmNotRne));
    c.set_f(rd, form && is_rne ? rne(*form) : general());
}

bool FpTranslator::fused(const ir::HelperInfo& h, uint32_t rs3, uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
    if (reserved_rm(rm)) return false;
    const Value x = c.f(rs1), y = c.f(rs2), z = c.f(rs3);
    rounded(
        h, rm,
        [&](const ir::HelperInfo& rne) {
            return c.call(rne, {x, y, z});
        },
        [&] {
            return c.call(h, {x, y, z, Builder::i64(c.raw)});
        },
        rd);
    return true;
}

bool FpTranslator::to_int(const ir::HelperInfo& h, uint32_t rs1, uint32_t rm, uint32_t rd) {
    if (reserved_rm(rm)) return false;
    // Called even when rd is x0: the conversion's flags still accrue.
    c.set_x(rd, c.call(h, {c.f(rs1), Builder::i64(c.raw)}));
    return true;
}

bool FpTranslator::from_int(const ir::HelperInfo& h, uint32_t rs1, uint32_t rm, uint32_t rd) {
    if (reserved_rm(rm)) return false;
    c.set_f(rd, c.call(h, {c.x(rs1), Builder::i64(c.raw)}));
    return true;
}

bool FpTranslator::min_max(const ir::HelperInfo& h, uint32_t rs2, uint32_t rs1, uint32_t rd) {
    c.set_f(rd, c.call(h, {c.f(rs1), c.f(rs2)}));
    return true;
}

// The comparisons are IEEE helpers already (they have no rounding).
bool FpTranslator::compare(const ir::HelperInfo& h, uint32_t rs2, uint32_t rs1, uint32_t rd) {
    c.set_x(rd, c.call(h, {c.f(rs1), c.f(rs2)}));
    return true;
}

bool FpTranslator::classify(const ir::HelperInfo& h, uint32_t rs1, uint32_t rd) {
    c.set_x(rd, c.call(h, {c.f(rs1)}));
    return true;
}

}  // namespace mimic::riscv
