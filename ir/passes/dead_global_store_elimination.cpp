// Removes a SetGlobal that a later SetGlobal of the same register overwrites before anything can
// observe it. Observers: reads of the global, exits, helpers that read guest state, and every op that
// may raise a guest exception (guest state must be exact there). Walks backwards; branches reset the
// knowledge because the taken path is not the one that follows in program order.
//
// A comparison whose IEEE flags are overwritten so becomes its twin without flags
// (HelperInfo::without_flags), which touches no global: GCC's quiet comparison (frflags, flt,
// fsflags) then leaves fflags as it was, and redundant_global_store_elimination removes the
// write-back of the value read.
#include <vector>

#include "ir/passes/passes.h"

namespace mimic::ir {

void dead_global_store_elimination(Block& block) {
    auto& insts = block.insts();
    std::vector<bool> overwritten(block.globals().size());
    auto reset = [&] { std::fill(overwritten.begin(), overwritten.end(), false); };

    for (uint32_t i = uint32_t(insts.size()); i-- > 0;) {
        if (block.is_erased(i)) continue;
        Inst& in = insts[i];
        switch (in.op) {
            case Opcode::kSetGlobal:
                if (overwritten[in.aux])
                    block.erase(i);
                else
                    overwritten[in.aux] = true;
                break;
            case Opcode::kGetGlobal: overwritten[in.aux] = false; break;
            case Opcode::kBranch:
            case Opcode::kBranchIf: reset(); break;
            case Opcode::kCall:
                if (const HelperInfo* quiet = in.helper()->without_flags;
                    quiet && overwritten[in.helper()->ieee.flags_global]) {
                    in.aux = reinterpret_cast<uint64_t>(quiet);
                    break;
                }
                [[fallthrough]];
            default:
                if (in.syncs_globals()) reset();
                break;
        }
    }
}

}  // namespace mimic::ir
