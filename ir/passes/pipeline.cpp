// The pass pipeline: the order below is the only place it is written.
#include "ir/passes/passes.h"

namespace mimic::ir {

void optimize(Block& block, const PassObserver& observer) {
    struct Pass {
        std::string_view name;
        void (*run)(Block&);
    };
    static constexpr Pass kPipeline[] = {
        {"global_forwarding", global_forwarding},
        {"constant_propagation", constant_propagation},
        {"dead_global_store_elimination", dead_global_store_elimination},
        {"redundant_global_store_elimination", redundant_global_store_elimination},
        {"dead_code_elimination", dead_code_elimination},
    };
    for (const Pass& pass : kPipeline) {
        pass.run(block);
        if (observer) observer(pass.name, block);
    }
    block.compact();
}

}  // namespace mimic::ir
