// Emits IR into a Block, folding constants and trivial identities as it goes (gen_* style).
#pragma once

#include <initializer_list>

#include "ir/block.h"

namespace mimic::ir {

class Builder {
public:
    explicit Builder(Block& block) : block_(block) {}
    Block& block() { return block_; }

    static Value i32(uint64_t v) { return Value::constant(Type::kI32, v); }
    static Value i64(uint64_t v) { return Value::constant(Type::kI64, v); }
    static Value constant(Type t, uint64_t v) { return Value::constant(t, v); }

    // Arithmetic: the result has the operands' type.
    Value add(Value a, Value b) { return binary(Opcode::kAdd, a, b); }
    Value sub(Value a, Value b) { return binary(Opcode::kSub, a, b); }
    Value mul(Value a, Value b) { return binary(Opcode::kMul, a, b); }
    Value mul_high_s(Value a, Value b) { return binary(Opcode::kMulHighS, a, b); }
    Value mul_high_u(Value a, Value b) { return binary(Opcode::kMulHighU, a, b); }
    Value mul_high_su(Value a, Value b) { return binary(Opcode::kMulHighSU, a, b); }
    Value div_s(Value a, Value b) { return binary(Opcode::kDivS, a, b); }
    Value div_u(Value a, Value b) { return binary(Opcode::kDivU, a, b); }
    Value rem_s(Value a, Value b) { return binary(Opcode::kRemS, a, b); }
    Value rem_u(Value a, Value b) { return binary(Opcode::kRemU, a, b); }
    Value and_(Value a, Value b) { return binary(Opcode::kAnd, a, b); }
    Value or_(Value a, Value b) { return binary(Opcode::kOr, a, b); }
    Value xor_(Value a, Value b) { return binary(Opcode::kXor, a, b); }
    Value not_(Value a) { return xor_(a, constant(a.type(), ~uint64_t(0))); }
    Value neg(Value a) { return sub(constant(a.type(), 0), a); }
    Value shl(Value a, Value b) { return binary(Opcode::kShl, a, b); }
    Value shr_u(Value a, Value b) { return binary(Opcode::kShrU, a, b); }
    Value shr_s(Value a, Value b) { return binary(Opcode::kShrS, a, b); }
    Value rotl(Value a, Value b) { return binary(Opcode::kRotL, a, b); }
    Value rotr(Value a, Value b) { return binary(Opcode::kRotR, a, b); }
    Value clz(Value a) { return unary(Opcode::kClz, a.type(), a); }
    Value ctz(Value a) { return unary(Opcode::kCtz, a.type(), a); }
    Value popcount(Value a) { return unary(Opcode::kPopcount, a.type(), a); }
    Value byte_swap(Value a) { return unary(Opcode::kByteSwap, a.type(), a); }
    Value sign_extend(Value a, unsigned from_bits) { return unary(Opcode::kSignExtend, a.type(), a, from_bits); }
    Value zero_extend(Value a, unsigned from_bits) { return unary(Opcode::kZeroExtend, a.type(), a, from_bits); }
    Value truncate(Value a) { return unary(Opcode::kTruncate, Type::kI32, a); }
    Value extend_s(Value a) { return unary(Opcode::kExtendS, Type::kI64, a); }
    Value extend_u(Value a) { return unary(Opcode::kExtendU, Type::kI64, a); }
    // Cmp's result type is given; its operands share theirs.
    Value cmp(Cond c, Value a, Value b, Type result = Type::kI64);
    Value select(Value cond, Value a, Value b);

    Value get_global(uint32_t index);
    void set_global(uint32_t index, Value v);

    Value load(Type t, MemOp m, Value addr);
    void store(MemOp m, Value addr, Value v);

    Value call(const HelperInfo& h, std::initializer_list<Value> args);

    void insn_start(uint64_t pc);
    uint32_t new_label() { return block_.new_label(); }
    void bind(uint32_t label);
    void branch(uint32_t label);
    void branch_if(Value cond, uint32_t label);

    void goto_tb(unsigned slot, uint64_t pc);
    void lookup_and_goto(Value pc);
    void exit(ExitReason reason, Value pc);
    void raise(uint64_t pc, uint64_t cause, Value tval);

    // Emits an instruction without folding (tests use it to build unoptimized input for passes).
    Value emit(const Inst& inst);

private:
    Value binary(Opcode op, Value a, Value b);
    Value unary(Opcode op, Type t, Value a, uint64_t aux = 0);
    Value fold_or_emit(const Inst& inst);

    Block& block_;
};

}  // namespace mimic::ir
