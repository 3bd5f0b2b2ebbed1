// Copy propagation of guest registers: a GetGlobal whose value is already known on every path to it
// (from an earlier Set or Get of the same global) is replaced by that value. Knowledge is dropped at
// labels (paths merge) and at helpers that may write guest registers.
#include <optional>
#include <vector>

#include "ir/passes/passes.h"

namespace mimic::ir {

void global_forwarding(Block& block) {
    auto& insts = block.insts();
    std::vector<std::optional<Value>> known(block.globals().size());
    auto forget_all = [&] { std::fill(known.begin(), known.end(), std::nullopt); };

    for (uint32_t i = 0; i < insts.size(); ++i) {
        if (block.is_erased(i)) continue;
        Inst& in = insts[i];
        switch (in.op) {
            case Opcode::kSetGlobal: known[in.aux] = in.args[0]; break;
            case Opcode::kGetGlobal:
                if (known[in.aux]) {
                    block.replace_uses(i, *known[in.aux]);
                    block.erase(i);
                } else {
                    known[in.aux] = Value::inst(in.type, i);
                }
                break;
            case Opcode::kLabel: forget_all(); break;
            default:
                if (in.clobbers_globals())
                    for (uint32_t g = 0; g < known.size(); ++g)
                        if (in.clobbers_global(g)) known[g].reset();
                break;
        }
    }
}

}  // namespace mimic::ir
