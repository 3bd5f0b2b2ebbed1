// Constant propagation: re-simplifies every pure instruction after earlier rewrites made operands
// constant (the Builder already folded what was constant at emit time), and drops a mask that
// keeps every bit a guest register can hold (GlobalInfo::valid_bits) from that register's value.
#include <optional>

#include "ir/fold.h"
#include "ir/passes/passes.h"

namespace mimic::ir {
namespace {

// And(GetGlobal g, mask), either way round, where the mask keeps all of g's valid bits: g's value.
std::optional<Value> unneeded_mask(const Block& block, const Inst& in) {
    if (in.op != Opcode::kAnd) return std::nullopt;
    for (unsigned i = 0; i < 2; ++i) {
        const Value reg = in.args[i], mask = in.args[1 - i];
        if (!reg.is_inst() || !mask.is_const()) continue;
        const Inst& def = block.insts()[reg.inst_index()];
        if (def.op == Opcode::kGetGlobal && (block.globals()[def.aux].valid_bits & ~mask.const_value()) == 0)
            return reg;
    }
    return std::nullopt;
}

}  // namespace

void constant_propagation(Block& block) {
    auto& insts = block.insts();
    for (uint32_t i = 0; i < insts.size(); ++i) {
        if (block.is_erased(i) || !insts[i].has_result()) continue;
        std::optional<Value> v = simplify(insts[i]);
        if (!v) v = unneeded_mask(block, insts[i]);
        if (v) {
            block.replace_uses(i, *v);
            block.erase(i);
        }
    }
}

}  // namespace mimic::ir
