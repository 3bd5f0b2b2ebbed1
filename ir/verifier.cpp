// IR verifier. The rules:
//  - operand kinds and types match opcodes.inc (and the helper's declared signature for Call);
//  - every operand refers to an earlier, live instruction with a result of the operand's type;
//  - branches go forward to labels bound exactly once;
//  - a value is not used past a label that a branch from before its definition can reach
//    (so every use is dominated by its definition);
//  - the block ends with a terminator, and nothing but a label follows a terminator.
#include "ir/verifier.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace mimic::ir {
namespace {

constexpr uint32_t kNone = ~0u;

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return buf;
}

std::string str(std::string_view s) {
    return std::string(s);
}

std::optional<std::string> check_kinds(const Block& b, const Inst& in) {
    const unsigned n = in.arg_count();
    for (unsigned a = n; a < 4; ++a)
        if (!in.args[a].is_none()) return format("operand %u present beyond the op's %u operands", a, n);
    for (unsigned a = 0; a < n; ++a) {
        const Value& v = in.args[a];
        if (v.is_none() || v.type() == Type::kVoid) return format("operand %u is missing", a);
        Type want = Type::kVoid;
        if (in.op == Opcode::kCall) {
            want = in.helper()->args[a];
        } else {
            switch (in.op_info().args[a]) {
                case Kind::T: want = in.type; break;
                case Kind::I64: want = Type::kI64; break;
                default: break;
            }
        }
        if (want != Type::kVoid && v.type() != want)
            return format("operand %u is %s, expected %s", a, str(type_name(v.type())).c_str(),
                          str(type_name(want)).c_str());
    }
    const Kind result = in.op_info().result;
    if (result == Kind::N && in.type != Type::kVoid) return std::string("op has no result but a type");
    if (result == Kind::T && in.op != Opcode::kCall && in.type == Type::kVoid)
        return std::string("result type missing");
    if (result == Kind::I64 && in.type != Type::kI64) return std::string("result is i64");

    switch (in.op) {
        case Opcode::kTruncate:
            if (in.type != Type::kI32 || in.args[0].type() != Type::kI64) return std::string("Truncate is i64 -> i32");
            break;
        case Opcode::kExtendS:
        case Opcode::kExtendU:
            if (in.type != Type::kI64 || in.args[0].type() != Type::kI32) return std::string("Extend is i32 -> i64");
            break;
        case Opcode::kCmp:
            if (in.args[0].type() != in.args[1].type()) return std::string("Cmp operands differ in type");
            if (in.aux > uint64_t(Cond::kGtU)) return std::string("Cmp has a bad condition");
            break;
        case Opcode::kSignExtend:
        case Opcode::kZeroExtend:
            if (in.aux == 0 || in.aux >= bit_width(in.type))
                return format("cannot extend from %llu bits", (unsigned long long)in.aux);
            break;
        case Opcode::kGetGlobal:
        case Opcode::kSetGlobal: {
            if (in.aux >= b.globals().size()) return format("global %llu does not exist", (unsigned long long)in.aux);
            const Type t = b.globals()[in.aux].type;
            if ((in.op == Opcode::kGetGlobal ? in.type : in.args[0].type()) != t)
                return format("global %s is %s", str(b.globals()[in.aux].name).c_str(), str(type_name(t)).c_str());
            break;
        }
        case Opcode::kLoad:
        case Opcode::kStore: {
            const Type t = in.op == Opcode::kLoad ? in.type : in.args[1].type();
            if (in.memop().size() * 8 > bit_width(t)) return std::string("memory access wider than its value");
            break;
        }
        case Opcode::kCall:
            if (in.type != in.helper()->result)
                return format("call of %s has the wrong result type", str(in.helper()->name).c_str());
            break;
        case Opcode::kGotoTb:
            if (in.aux > 1) return std::string("GotoTb slot must be 0 or 1");
            break;
        default: break;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> verify(const Block& b) {
    const auto& insts = b.insts();
    std::vector<uint32_t> bound_at(b.label_count(), kNone);
    std::vector<uint32_t> first_branch(b.label_count(), kNone);
    std::vector<uint32_t> label_positions;
    bool after_terminator = false;
    uint32_t last_live = kNone;

    for (uint32_t i = 0; i < insts.size(); ++i) {
        if (b.is_erased(i)) continue;
        const Inst& in = insts[i];
        auto fail = [&](const std::string& what) {
            return format("%%%u %s: %s", i, str(name(in.op)).c_str(), what.c_str());
        };
        if (size_t(in.op) >= kOpcodeCount) return fail("unknown opcode");
        last_live = i;

        if (in.op == Opcode::kLabel) {
            if (in.aux >= bound_at.size()) return fail("label was never allocated");
            if (bound_at[in.aux] != kNone) return fail("label bound twice");
            bound_at[in.aux] = i;
            label_positions.push_back(i);
            after_terminator = false;
            continue;
        }
        if (after_terminator) return fail("unreachable code after a terminator");
        if (auto err = check_kinds(b, in)) return fail(*err);

        for (unsigned a = 0; a < in.arg_count(); ++a) {
            const Value& v = in.args[a];
            if (!v.is_inst()) continue;
            const uint32_t def = v.inst_index();
            if (def >= i || b.is_erased(def)) return fail(format("operand %u is not an earlier live value", a));
            if (insts[def].type != v.type() || !insts[def].has_result())
                return fail(format("operand %u disagrees with its definition's type", a));
            for (uint32_t pos : label_positions) {
                if (pos > def && first_branch[insts[pos].aux] < def)
                    return fail(format("operand %u (%%%u) does not dominate this use", a, def));
            }
        }
        if (in.op == Opcode::kBranch || in.op == Opcode::kBranchIf) {
            if (in.aux >= bound_at.size()) return fail("branch to a label never allocated");
            if (bound_at[in.aux] != kNone) return fail("branch goes backwards");
            if (first_branch[in.aux] == kNone) first_branch[in.aux] = i;
        }
        if (in.op_info().flags & kTerminator) after_terminator = true;
    }
    for (uint32_t l = 0; l < first_branch.size(); ++l)
        if (first_branch[l] != kNone && bound_at[l] == kNone) return format("label L%u is never bound", l);
    if (last_live == kNone || !(insts[last_live].op_info().flags & kTerminator))
        return std::string("block does not end with an exit");
    return std::nullopt;
}

void verify_or_abort(const Block& block, std::string_view after) {
    if (auto err = verify(block)) {
        std::fprintf(stderr, "mimic: IR verifier failed after %.*s: %s\n%s", int(after.size()), after.data(),
                     err->c_str(), block.to_string().c_str());
        std::abort();
    }
}

}  // namespace mimic::ir
