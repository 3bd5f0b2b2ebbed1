// Text form of a block, used by -d op / -d op_opt and by the golden tests of the passes.
#include <cinttypes>
#include <cstdio>

#include "ir/block.h"

namespace mimic::ir {
namespace {

std::string value_text(const Value& v) {
    char buf[40];
    if (v.is_const()) {
        if (v.const_value() < 10)
            std::snprintf(buf, sizeof buf, "%" PRIu64, v.const_value());
        else
            std::snprintf(buf, sizeof buf, "0x%" PRIx64, v.const_value());
    } else {
        std::snprintf(buf, sizeof buf, "%%%u", v.inst_index());
    }
    return buf;
}

std::string aux_text(const Block& b, const Inst& in) {
    switch (in.op) {
        case Opcode::kGetGlobal:
        case Opcode::kSetGlobal: return std::string(b.globals()[in.aux].name);
        case Opcode::kLoad:
        case Opcode::kStore: return in.memop().to_string();
        case Opcode::kCmp: return std::string(cond_name(in.cond()));
        case Opcode::kCall: return std::string(in.helper()->name);
        case Opcode::kLabel:
        case Opcode::kBranch:
        case Opcode::kBranchIf: return "L" + std::to_string(in.aux);
        case Opcode::kGotoTb: return "slot" + std::to_string(in.aux);
        case Opcode::kExit: return std::string(exit_reason_name(ExitReason(in.aux)));
        case Opcode::kSignExtend:
        case Opcode::kZeroExtend: return std::to_string(in.aux);
        default: return {};
    }
}

}  // namespace

std::string Block::to_string() const {
    std::string out;
    char head[64];
    std::snprintf(head, sizeof head, "block pc=0x%" PRIx64 " insns=%u\n", guest_pc_, guest_insns_);
    out += head;
    for (uint32_t i = 0; i < insts_.size(); ++i) {
        if (is_erased(i)) continue;
        const Inst& in = insts_[i];
        if (in.op == Opcode::kInsnStart) {
            out += " ---- " + value_text(in.args[0]) + "\n";
            continue;
        }
        std::string line = "  ";
        if (in.has_result()) line += "%" + std::to_string(i) + ":" + std::string(type_name(in.type)) + " = ";
        line += name(in.op);
        const std::string aux = aux_text(*this, in);
        if (!aux.empty()) line += "." + aux;
        for (unsigned a = 0; a < in.arg_count(); ++a) line += (a ? ", " : " ") + value_text(in.args[a]);
        out += line + "\n";
    }
    return out;
}

}  // namespace mimic::ir
