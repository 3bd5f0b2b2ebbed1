// One IR instruction: an opcode, its result type, up to four operands and an auxiliary immediate.
#pragma once

#include <array>
#include <cstdint>

#include "ir/helper.h"
#include "ir/memop.h"
#include "ir/opcode.h"
#include "ir/types.h"

namespace mimic::ir {

struct Inst {
    Opcode op;
    Type type = Type::kVoid;  // the result's type; kVoid when the op produces nothing
    std::array<Value, 4> args{};
    uint64_t aux = 0;  // global index, MemOp, Cond, label, slot, ExitReason, HelperInfo*, bits

    const OpInfo& op_info() const { return info(op); }
    unsigned arg_count() const;
    MemOp memop() const { return MemOp::decode(aux); }
    Cond cond() const { return Cond(aux); }
    const HelperInfo* helper() const { return reinterpret_cast<const HelperInfo*>(aux); }
    bool has_result() const { return type != Type::kVoid; }

    // True when removing this instruction (its result unused) cannot change behaviour.
    bool is_removable() const;
    // True when this instruction may observe or leave the block with guest registers in env.
    bool syncs_globals() const;
    // True when this instruction may write guest registers behind the IR's back.
    bool clobbers_globals() const;
    // True when it may write global `g` behind the IR's back.
    bool clobbers_global(uint32_t g) const;
    // True when it may write global `g`: a SetGlobal of it, or behind the IR's back.
    bool writes_global(uint32_t g) const;
};

}  // namespace mimic::ir
