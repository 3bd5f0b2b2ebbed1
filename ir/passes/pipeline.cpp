// The pass pipeline: the order below is the only place it is written.
#include <cstdio>
#include <cstdlib>

#include "ir/passes/passes.h"
#include "ir/verifier.h"

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
        {"dead_code_elimination", dead_code_elimination},
    };
    for (const Pass& pass : kPipeline) {
        pass.run(block);
        if (observer) observer(pass.name, block);
    }
    block.compact();
#ifdef MIMIC_VERIFY_IR
    if (auto err = verify(block)) {
        // A verifier failure is a bug in Mimic, never in the guest: stop loudly with the evidence.
        std::fprintf(stderr, "mimic: IR verifier failed after optimization: %s\n%s", err->c_str(),
                     block.to_string().c_str());
        std::abort();
    }
#endif
}

}  // namespace mimic::ir
