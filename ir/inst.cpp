// Properties of single instructions that the passes ask about.
#include "ir/inst.h"

namespace mimic::ir {

unsigned Inst::arg_count() const {
    if (op == Opcode::kCall) return helper()->arg_count;
    return op_info().arg_count();
}

bool Inst::is_removable() const {
    if (op == Opcode::kCall) return helper()->flags & kHelperPure;
    if (op == Opcode::kGetGlobal) return true;
    // A Load that is unused may still fault; keeping it preserves the guest exception.
    return op_info().flags & kPure;
}

bool Inst::syncs_globals() const {
    if (op == Opcode::kCall) {
        const uint32_t f = helper()->flags;
        return !(f & kHelperNoReadGlobals) || (f & kHelperMayRaise);
    }
    return op_info().flags & (kMayRaise | kReadsGlobals) && op != Opcode::kGetGlobal;
}

bool Inst::clobbers_globals() const {
    if (op == Opcode::kCall) return !(helper()->flags & kHelperNoWriteGlobals);
    return false;
}

bool Inst::clobbers_global(uint32_t g) const {
    return op == Opcode::kCall && helper()->may_write_global(g);
}

bool Inst::writes_global(uint32_t g) const {
    return (op == Opcode::kSetGlobal && aux == g) || clobbers_global(g);
}

}  // namespace mimic::ir
