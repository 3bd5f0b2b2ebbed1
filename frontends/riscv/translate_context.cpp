// The block-ending gen_* operations shared by all extensions.
#include "frontends/riscv/translate_context.h"

namespace mimic::riscv {

void TranslateContext::goto_pc(uint64_t target, unsigned slot) {
    b.goto_tb(slot, target);
    ended = true;
}

void TranslateContext::jump_indirect(Value target) {
    b.lookup_and_goto(target);
    ended = true;
}

void TranslateContext::branch(ir::Cond cond, Value a, Value c, uint64_t target) {
    const Value taken = b.cmp(cond, a, c);
    if (taken.is_const()) {
        goto_pc(taken.const_value() ? target : next_pc());
        return;
    }
    const uint32_t label = b.new_label();
    b.branch_if(taken, label);
    b.goto_tb(0, next_pc());
    b.bind(label);
    b.goto_tb(1, target);
    ended = true;
}

void TranslateContext::raise(Cause cause, Value tval) {
    b.raise(pc, cause, tval);
    ended = true;
}

bool TranslateContext::illegal() {
    raise(kIllegalInstruction, uint64_t(raw));
    return true;
}

void TranslateContext::exit(ir::ExitReason reason, uint64_t resume_pc) {
    b.exit(reason, ir::Builder::i64(resume_pc));
    ended = true;
}

}  // namespace mimic::riscv
