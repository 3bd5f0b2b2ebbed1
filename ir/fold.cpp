// Constant folding and algebraic identities for pure IR ops.
#include "ir/fold.h"

#include "ir/semantics.h"

namespace mimic::ir {
namespace {

template <typename T>
std::optional<uint64_t> evaluate_typed(Opcode op, uint64_t aux, const uint64_t* v) {
    const T a = T(v[0]), b = T(v[1]);
    switch (op) {
        case Opcode::kAdd: return sem::add(a, b);
        case Opcode::kSub: return sem::sub(a, b);
        case Opcode::kMul: return sem::mul(a, b);
        case Opcode::kMulHighS: return sem::mul_high_s(a, b);
        case Opcode::kMulHighU: return sem::mul_high_u(a, b);
        case Opcode::kMulHighSU: return sem::mul_high_su(a, b);
        case Opcode::kDivS: return sem::div_s(a, b);
        case Opcode::kDivU: return sem::div_u(a, b);
        case Opcode::kRemS: return sem::rem_s(a, b);
        case Opcode::kRemU: return sem::rem_u(a, b);
        case Opcode::kAnd: return T(a & b);
        case Opcode::kOr: return T(a | b);
        case Opcode::kXor: return T(a ^ b);
        case Opcode::kShl: return sem::shl(a, b);
        case Opcode::kShrU: return sem::shr_u(a, b);
        case Opcode::kShrS: return sem::shr_s(a, b);
        case Opcode::kRotL: return sem::rotl(a, b);
        case Opcode::kRotR: return sem::rotr(a, b);
        case Opcode::kClz: return sem::clz(a);
        case Opcode::kCtz: return sem::ctz(a);
        case Opcode::kPopcount: return sem::popcount(a);
        case Opcode::kByteSwap: return sem::byteswap(a);
        case Opcode::kSignExtend: return sem::sign_extend(a, unsigned(aux));
        case Opcode::kZeroExtend: return sem::zero_extend(a, unsigned(aux));
        case Opcode::kSelect: return v[0] != 0 ? T(v[1]) : T(v[2]);
        default: return std::nullopt;
    }
}

}  // namespace

std::optional<uint64_t> evaluate_pure(Opcode op, Type type, uint64_t aux, const uint64_t* args) {
    switch (op) {
        case Opcode::kTruncate: return uint32_t(args[0]);
        case Opcode::kExtendS: return uint64_t(int64_t(int32_t(args[0])));
        case Opcode::kExtendU: return uint64_t(uint32_t(args[0]));
        case Opcode::kCmp: return uint64_t(evaluate(Cond(aux), Type::kI64, args[0], args[1]));
        default: break;
    }
    return type == Type::kI32 ? evaluate_typed<uint32_t>(op, aux, args) : evaluate_typed<uint64_t>(op, aux, args);
}

std::optional<Value> simplify(const Inst& inst) {
    if (!(inst.op_info().flags & kPure)) return std::nullopt;
    const unsigned n = inst.arg_count();
    bool all_const = true;
    uint64_t v[4] = {};
    for (unsigned i = 0; i < n; ++i) {
        all_const &= inst.args[i].is_const();
        v[i] = inst.args[i].const_value();
    }
    if (inst.op == Opcode::kCmp && all_const) {
        // Cmp's operands carry their own type; evaluate at that width.
        return Value::constant(inst.type, evaluate(inst.cond(), inst.args[0].type(), v[0], v[1]));
    }
    if (all_const) {
        if (auto r = evaluate_pure(inst.op, inst.type, inst.aux, v)) return Value::constant(inst.type, *r);
        return std::nullopt;
    }

    const Value a = inst.args[0], b = inst.args[1];
    switch (inst.op) {
        case Opcode::kAdd:
        case Opcode::kOr:
        case Opcode::kXor:
        case Opcode::kSub:
        case Opcode::kShl:
        case Opcode::kShrU:
        case Opcode::kShrS:
        case Opcode::kRotL:
        case Opcode::kRotR:
            if (b.is_const(0)) return a;
            if ((inst.op == Opcode::kAdd || inst.op == Opcode::kOr || inst.op == Opcode::kXor) && a.is_const(0))
                return b;
            if (inst.op == Opcode::kXor && a == b) return Value::constant(inst.type, 0);
            if (inst.op == Opcode::kSub && a == b) return Value::constant(inst.type, 0);
            if (inst.op == Opcode::kOr && a == b) return a;
            break;
        case Opcode::kAnd:
            if (a.is_const(0) || b.is_const(0)) return Value::constant(inst.type, 0);
            if (b.is_const(~uint64_t(0))) return a;
            if (a.is_const(~uint64_t(0))) return b;
            if (a == b) return a;
            break;
        case Opcode::kMul:
            if (a.is_const(0) || b.is_const(0)) return Value::constant(inst.type, 0);
            if (b.is_const(1)) return a;
            if (a.is_const(1)) return b;
            break;
        case Opcode::kSelect:
            if (a.is_const()) return a.const_value() ? inst.args[1] : inst.args[2];
            if (inst.args[1] == inst.args[2]) return inst.args[1];
            break;
        default: break;
    }
    return std::nullopt;
}

}  // namespace mimic::ir
