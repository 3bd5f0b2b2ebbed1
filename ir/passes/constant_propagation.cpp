// Constant propagation: re-simplifies every pure instruction after earlier rewrites made operands
// constant (the Builder already folded what was constant at emit time).
#include "ir/fold.h"
#include "ir/passes/passes.h"

namespace mimic::ir {

void constant_propagation(Block& block) {
    auto& insts = block.insts();
    for (uint32_t i = 0; i < insts.size(); ++i) {
        if (block.is_erased(i) || !insts[i].has_result()) continue;
        if (auto v = simplify(insts[i])) {
            block.replace_uses(i, *v);
            block.erase(i);
        }
    }
}

}  // namespace mimic::ir
