// Value types and operands of the IR. Width is a type (i32, i64), never a suffix of an op's name.
#pragma once

#include <cstdint>
#include <string_view>

namespace mimic::ir {

enum class Type : uint8_t { kVoid, kI32, kI64 };

constexpr unsigned bit_width(Type t) {
    return t == Type::kI32 ? 32 : t == Type::kI64 ? 64 : 0;
}
constexpr uint64_t truncate_to(Type t, uint64_t v) {
    return t == Type::kI32 ? uint32_t(v) : v;
}
std::string_view type_name(Type t);

// An operand: nothing, an inline constant, or the result of an earlier instruction of the block.
class Value {
public:
    enum class Kind : uint8_t { kNone, kConst, kInst };

    constexpr Value() = default;
    static constexpr Value constant(Type t, uint64_t v) { return Value(Kind::kConst, t, truncate_to(t, v)); }
    static constexpr Value inst(Type t, uint32_t index) { return Value(Kind::kInst, t, index); }

    constexpr Kind kind() const { return kind_; }
    constexpr Type type() const { return type_; }
    constexpr bool is_none() const { return kind_ == Kind::kNone; }
    constexpr bool is_const() const { return kind_ == Kind::kConst; }
    constexpr bool is_inst() const { return kind_ == Kind::kInst; }
    constexpr bool is_const(uint64_t v) const { return is_const() && payload_ == truncate_to(type_, v); }
    constexpr uint64_t const_value() const { return payload_; }
    constexpr uint32_t inst_index() const { return uint32_t(payload_); }

    friend constexpr bool operator==(const Value&, const Value&) = default;

private:
    constexpr Value(Kind k, Type t, uint64_t p) : kind_(k), type_(t), payload_(p) {}
    Kind kind_ = Kind::kNone;
    Type type_ = Type::kVoid;
    uint64_t payload_ = 0;
};

// Conditions of Cmp.
enum class Cond : uint8_t { kEq, kNe, kLtS, kGeS, kLtU, kGeU, kLeS, kGtS, kLeU, kGtU };
std::string_view cond_name(Cond c);
bool evaluate(Cond c, Type t, uint64_t a, uint64_t b);

// Why a block returns to the engine other than to go to another block.
enum class ExitReason : uint8_t {
    kSyscall,  // the guest asked its OS for something (ecall in U-mode, svc, syscall)
    kHalt,     // stop the vCPU (e.g. an unrecoverable state)
    kYield,    // nothing special: return to the run loop (e.g. after fence.i or a CSR change)
};
std::string_view exit_reason_name(ExitReason r);

}  // namespace mimic::ir
