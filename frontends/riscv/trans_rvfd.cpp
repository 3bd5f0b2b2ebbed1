// F and D: the translation shared by both precisions (trans_rvf.cpp and trans_rvd.cpp bind the
// encodings of each to it).
#include "frontends/riscv/trans_rvfd.h"

#include <functional>
#include <optional>

#include "frontends/riscv/immediates.h"
#include "frontends/riscv/softfloat.h"

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

// The helpers whose operation the host computes inline where that is exact.
const FpTranslator::HostOp* FpTranslator::host_op(const ir::HelperInfo& h) {
    static constexpr HostOp kOps[] = {
        {&kHelper_fadd_s, ir::Opcode::kFAdd, 32},   {&kHelper_fsub_s, ir::Opcode::kFSub, 32},
        {&kHelper_fmul_s, ir::Opcode::kFMul, 32},   {&kHelper_fdiv_s, ir::Opcode::kFDiv, 32},
        {&kHelper_fadd_d, ir::Opcode::kFAdd, 64},   {&kHelper_fsub_d, ir::Opcode::kFSub, 64},
        {&kHelper_fmul_d, ir::Opcode::kFMul, 64},   {&kHelper_fdiv_d, ir::Opcode::kFDiv, 64},
        {&kHelper_fsqrt_s, ir::Opcode::kFSqrt, 32}, {&kHelper_fsqrt_d, ir::Opcode::kFSqrt, 64},
        {&kHelper_feq_s, ir::Opcode::kFEq, 32},     {&kHelper_flt_s, ir::Opcode::kFLt, 32},
        {&kHelper_fle_s, ir::Opcode::kFLe, 32},     {&kHelper_feq_d, ir::Opcode::kFEq, 64},
        {&kHelper_flt_d, ir::Opcode::kFLt, 64},     {&kHelper_fle_d, ir::Opcode::kFLe, 64},
    };
    for (const HostOp& op : kOps)
        if (op.helper == &h) return &op;
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
    if (c.opts.inline_fast_paths && (rm == kRmNearestEven || rm == kRmDynamic))
        if (const HostOp* op = host_op(h)) return inline_sqrt(h, *op, x, rm, rd);
    c.set_f(rd, c.call(h, {x, Builder::i64(c.raw)}));
    return true;
}

bool FpTranslator::binary(const ir::HelperInfo& h, uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
    if (reserved_rm(rm)) return false;
    const Value x = c.f(rs1), y = c.f(rs2);
    if (c.opts.inline_fast_paths && (rm == kRmNearestEven || rm == kRmDynamic))
        if (const HostOp* op = host_op(h)) return inline_binary(h, *op, x, y, rm, rd);
    c.set_f(rd, c.call(h, {x, y, Builder::i64(c.raw)}));
    return true;
}

namespace {

// IR tests on the raw bits of one format's values (a single's in the low half).
struct FloatBits {
    FloatBits(Builder& b, unsigned width)
        : b(b),
          single(width == 32),
          sign(single ? 0x8000'0000 : 0x8000'0000'0000'0000),
          min_normal(single ? 0x0080'0000 : 0x0010'0000'0000'0000),
          inf(single ? 0x7f80'0000 : 0x7ff0'0000'0000'0000) {}

    Value magnitude(Value v) { return b.and_(v, Builder::i64(sign - 1)); }
    Value is_zero(Value mag) { return b.cmp(ir::Cond::kEq, mag, Builder::i64(0)); }
    Value below_inf_from(Value mag, uint64_t low) {  // low <= mag < inf
        return b.cmp(ir::Cond::kLtU, b.sub(mag, Builder::i64(low)), Builder::i64(inf - low));
    }
    Value zero_or_normal(Value mag) { return b.or_(is_zero(mag), below_inf_from(mag, min_normal)); }
    Value not_nan(Value mag) { return b.cmp(ir::Cond::kLeU, mag, Builder::i64(inf)); }
    Value positive(Value v) { return b.cmp(ir::Cond::kEq, b.and_(v, Builder::i64(sign)), Builder::i64(0)); }

    Builder& b;
    bool single;
    uint64_t sign, min_normal, inf;
};

}  // namespace

Value FpTranslator::fast_path_allowed(uint32_t rm, bool single, std::initializer_list<Value> operands) {
    Value ok = b.and_(b.get_global(kGlobalFflags), Builder::i64(softfloat::kInexact));
    if (rm == kRmDynamic) ok = b.and_(ok, b.cmp(ir::Cond::kEq, b.get_global(kGlobalFrm), Builder::i64(kRmNearestEven)));
    return b.and_(ok, all_boxed(single, operands));
}

Value FpTranslator::all_boxed(bool single, std::initializer_list<Value> operands) {
    Value ok = Builder::i64(1);
    if (!single) return ok;
    for (const Value v : operands) ok = b.and_(ok, b.cmp(ir::Cond::kGeU, v, Builder::i64(kBox)));
    return ok;
}

// set(fast value) if ok (and the fast result's own check, when it has one, passes), else
// set(slow value): the helper's.
void FpTranslator::with_fallback(Value ok, const std::function<FastResult()>& fast, const std::function<Value()>& slow,
                                 const std::function<void(Value)>& set) {
    const uint32_t slow_label = b.new_label(), done = b.new_label();
    b.branch_if(b.cmp(ir::Cond::kEq, ok, Builder::i64(0)), slow_label);
    const FastResult r = fast();
    if (r.ok) b.branch_if(b.cmp(ir::Cond::kEq, *r.ok, Builder::i64(0)), slow_label);
    set(r.value);
    b.branch(done);
    b.bind(slow_label);
    set(slow());
    b.bind(done);
}

// The host computes the operation where hardfloat.h proves that it gives softfloat's bits and
// fflags: round to nearest even, inexact already accrued (every other flag is then impossible),
// operands zero or normal (singles NaN-boxed), and a result that is finite above the smallest
// normal or an exact zero. Elsewhere the helper runs, as without the fast path.
bool FpTranslator::inline_binary(const ir::HelperInfo& h, const HostOp& op, Value x, Value y, uint32_t rm,
                                 uint32_t rd) {
    FloatBits f(b, op.width);
    const Value mx = f.magnitude(x), my = f.magnitude(y);
    Value ok = b.and_(fast_path_allowed(rm, f.single, {x, y}), b.and_(f.zero_or_normal(mx), f.zero_or_normal(my)));
    if (op.op == ir::Opcode::kFDiv) ok = b.and_(ok, b.cmp(ir::Cond::kNe, my, Builder::i64(0)));
    auto fast = [&]() -> FastResult {
        const Value r = b.float_op(op.op, op.width, x, y);
        const Value mr = f.magnitude(r);
        Value exact_zero = f.is_zero(mr);  // a sum: exact when zero
        if (op.op == ir::Opcode::kFMul) exact_zero = b.or_(f.is_zero(mx), f.is_zero(my));
        if (op.op == ir::Opcode::kFDiv) exact_zero = f.is_zero(mx);
        return {f.single ? b.or_(r, Builder::i64(kBox)) : r, b.or_(f.below_inf_from(mr, f.min_normal + 1), exact_zero)};
    };
    with_fallback(
        ok, fast,
        [&] {
            return c.call(h, {x, y, Builder::i64(c.raw)});
        },
        [&](Value v) { c.set_f(rd, v); });
    return true;
}

// A square root of a positive normal is normal, and sqrt(+-0) is +-0: no result check.
bool FpTranslator::inline_sqrt(const ir::HelperInfo& h, const HostOp& op, Value x, uint32_t rm, uint32_t rd) {
    FloatBits f(b, op.width);
    const Value mx = f.magnitude(x);
    const Value ok =
        b.and_(fast_path_allowed(rm, f.single, {x}), b.and_(f.zero_or_normal(mx), b.or_(f.is_zero(mx), f.positive(x))));
    auto fast = [&]() -> FastResult {
        const Value r = b.float_sqrt(op.width, x);
        return {f.single ? b.or_(r, Builder::i64(kBox)) : r, std::nullopt};
    };
    with_fallback(
        ok, fast,
        [&] {
            return c.call(h, {x, Builder::i64(c.raw)});
        },
        [&](Value v) { c.set_f(rd, v); });
    return true;
}

bool FpTranslator::fused(const ir::HelperInfo& h, uint32_t rs3, uint32_t rs2, uint32_t rs1, uint32_t rm, uint32_t rd) {
    if (reserved_rm(rm)) return false;
    c.set_f(rd, c.call(h, {c.f(rs1), c.f(rs2), c.f(rs3), Builder::i64(c.raw)}));
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

bool FpTranslator::compare(const ir::HelperInfo& h, uint32_t rs2, uint32_t rs1, uint32_t rd) {
    const Value x = c.f(rs1), y = c.f(rs2);
    auto helper = [&] { return c.call(h, {x, y}); };
    auto set = [&](Value v) { c.set_x(rd, v); };
    const HostOp* op = c.opts.inline_fast_paths ? host_op(h) : nullptr;
    if (!op) {
        set(helper());
        return true;
    }
    // Without a NaN no comparison raises a flag, and the host's ordered comparison is the answer.
    FloatBits f(b, op->width);
    const Value ok = b.and_(all_boxed(f.single, {x, y}), b.and_(f.not_nan(f.magnitude(x)), f.not_nan(f.magnitude(y))));
    with_fallback(
        ok,
        [&]() -> FastResult {
            return {b.float_op(op->op, op->width, x, y), std::nullopt};
        },
        helper, set);
    return true;
}

bool FpTranslator::classify(const ir::HelperInfo& h, uint32_t rs1, uint32_t rd) {
    c.set_x(rd, c.call(h, {c.f(rs1)}));
    return true;
}

}  // namespace mimic::riscv
