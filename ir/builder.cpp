// Builder: every value-producing emit goes through simplify() first, so trivially constant code
// never reaches the passes.
#include "ir/builder.h"

#include "ir/fold.h"

namespace mimic::ir {

Value Builder::emit(const Inst& inst) {
    const uint32_t index = block_.append(inst);
    return inst.has_result() ? Value::inst(inst.type, index) : Value{};
}

Value Builder::fold_or_emit(const Inst& inst) {
    if (auto v = simplify(inst)) return *v;
    return emit(inst);
}

Value Builder::binary(Opcode op, Value a, Value b) {
    return fold_or_emit(Inst{op, a.type(), {a, b}});
}

Value Builder::unary(Opcode op, Type t, Value a, uint64_t aux) {
    return fold_or_emit(Inst{op, t, {a}, aux});
}

Value Builder::cmp(Cond c, Value a, Value b, Type result) {
    return fold_or_emit(Inst{Opcode::kCmp, result, {a, b}, uint64_t(c)});
}

Value Builder::select(Value cond, Value a, Value b) {
    return fold_or_emit(Inst{Opcode::kSelect, a.type(), {cond, a, b}});
}

Value Builder::get_global(uint32_t index) {
    return emit(Inst{Opcode::kGetGlobal, block_.globals()[index].type, {}, index});
}

void Builder::set_global(uint32_t index, Value v) {
    emit(Inst{Opcode::kSetGlobal, Type::kVoid, {v}, index});
}

Value Builder::load(Type t, MemOp m, Value addr) {
    return emit(Inst{Opcode::kLoad, t, {addr}, m.encode()});
}

void Builder::store(MemOp m, Value addr, Value v) {
    emit(Inst{Opcode::kStore, Type::kVoid, {addr, v}, m.encode()});
}

Value Builder::call(const HelperInfo& h, std::initializer_list<Value> args) {
    Inst inst{Opcode::kCall, h.result, {}, reinterpret_cast<uint64_t>(&h)};
    unsigned i = 0;
    for (const Value& v : args) inst.args[i++] = v;
    return emit(inst);
}

void Builder::insn_start(uint64_t pc) {
    emit(Inst{Opcode::kInsnStart, Type::kVoid, {i64(pc)}});
}
void Builder::bind(uint32_t label) {
    emit(Inst{Opcode::kLabel, Type::kVoid, {}, label});
}
void Builder::branch(uint32_t label) {
    emit(Inst{Opcode::kBranch, Type::kVoid, {}, label});
}

void Builder::branch_if(Value cond, uint32_t label) {
    if (cond.is_const()) {
        if (cond.const_value()) branch(label);
        return;
    }
    emit(Inst{Opcode::kBranchIf, Type::kVoid, {cond}, label});
}

void Builder::goto_tb(unsigned slot, uint64_t pc) {
    emit(Inst{Opcode::kGotoTb, Type::kVoid, {i64(pc)}, slot});
}
void Builder::lookup_and_goto(Value pc) {
    emit(Inst{Opcode::kLookupAndGoto, Type::kVoid, {pc}});
}
void Builder::exit(ExitReason reason, Value pc) {
    emit(Inst{Opcode::kExit, Type::kVoid, {pc}, uint64_t(reason)});
}

void Builder::raise(uint64_t pc, uint64_t cause, Value tval) {
    emit(Inst{Opcode::kRaise, Type::kVoid, {i64(pc), i64(cause), tval}});
}

}  // namespace mimic::ir
