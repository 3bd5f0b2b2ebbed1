// Tier 0: IR lowered to a compact pre-decoded form (typed ops over a frame of 64-bit slots) and run
// by threaded dispatch. It is also the reference semantics the other tiers are compared against.
#pragma once

#include "engine/backend.h"

namespace mimic::interp {

class InterpreterBackend final : public Backend {
public:
    // `time_helpers` (-d stats): helper calls add their host cycles to env->helper_cycles.
    explicit InterpreterBackend(MemoryModel memory = MemoryModel::kFlat, bool time_helpers = false)
        : memory_(memory), time_helpers_(time_helpers) {}
    std::string_view name() const override { return "interp"; }
    std::unique_ptr<CompiledBlock> compile(const ir::Block& block) override;

private:
    MemoryModel memory_;
    bool time_helpers_;
};

}  // namespace mimic::interp
