// Removes a SetGlobal that writes back the value a GetGlobal of the same register read, when nothing
// between the two may write that register: `addi a0, a0, 0`, and fflags after GCC's quiet
// comparison once the comparison raises no flags (dead_global_store_elimination). Branches only go
// forward, so every path from the read to the write stays between the two.
#include "ir/passes/passes.h"

namespace mimic::ir {

void redundant_global_store_elimination(Block& block) {
    auto& insts = block.insts();
    for (uint32_t i = 0; i < insts.size(); ++i) {
        if (block.is_erased(i) || insts[i].op != Opcode::kSetGlobal || !insts[i].args[0].is_inst()) continue;
        const uint32_t g = uint32_t(insts[i].aux);
        const uint32_t read = insts[i].args[0].inst_index();
        if (insts[read].op != Opcode::kGetGlobal || insts[read].aux != g) continue;
        bool written = false;
        for (uint32_t j = read + 1; j < i && !written; ++j) {
            if (block.is_erased(j)) continue;
            written = insts[j].writes_global(g);
        }
        if (!written) block.erase(i);
    }
}

}  // namespace mimic::ir
