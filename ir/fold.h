// Constant folding and algebraic simplification of one instruction, shared by the Builder (which
// folds as it emits) and the constant-propagation pass.
#pragma once

#include <optional>

#include "ir/inst.h"

namespace mimic::ir {

// Evaluates a pure op whose operands are all constants.
std::optional<uint64_t> evaluate_pure(Opcode op, Type type, uint64_t aux, const uint64_t* args);

// Returns a simpler Value equal to the instruction's result (a constant, or one of its operands),
// or nothing when the instruction has to stay.
std::optional<Value> simplify(const Inst& inst);

}  // namespace mimic::ir
