// Dead code elimination: removes removable instructions whose results nobody uses, in one backward
// walk (a removal can only make earlier instructions dead).
#include "ir/passes/passes.h"

namespace mimic::ir {

void dead_code_elimination(Block& block) {
    auto& insts = block.insts();
    std::vector<uint32_t> uses = block.use_counts();
    for (uint32_t i = uint32_t(insts.size()); i-- > 0;) {
        if (block.is_erased(i) || uses[i] != 0 || !insts[i].has_result() || !insts[i].is_removable()) continue;
        block.erase(i);
        for (const Value& v : insts[i].args)
            if (v.is_inst()) --uses[v.inst_index()];
    }
}

}  // namespace mimic::ir
