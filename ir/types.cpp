// Names of IR types, conditions and exit reasons; Cond evaluation.
#include "ir/types.h"

#include "ir/memop.h"
#include "ir/semantics.h"

namespace mimic::ir {

std::string_view type_name(Type t) {
    switch (t) {
        case Type::kVoid: return "void";
        case Type::kI32: return "i32";
        case Type::kI64: return "i64";
    }
    return "?";
}

std::string_view cond_name(Cond c) {
    static constexpr std::string_view kNames[] = {"eq", "ne", "lt", "ge", "ltu", "geu", "le", "gt", "leu", "gtu"};
    return kNames[size_t(c)];
}

bool evaluate(Cond c, Type t, uint64_t a, uint64_t b) {
    return t == Type::kI32 ? sem::compare<uint32_t>(c, uint32_t(a), uint32_t(b)) : sem::compare<uint64_t>(c, a, b);
}

std::string_view exit_reason_name(ExitReason r) {
    switch (r) {
        case ExitReason::kSyscall: return "syscall";
        case ExitReason::kHalt: return "halt";
        case ExitReason::kYield: return "yield";
    }
    return "?";
}

std::string MemOp::to_string() const {
    std::string s = sign ? "s" : "u";
    s += std::to_string(size() * 8);
    if (big_endian) s += "be";
    if (aligned) s += ",aligned";
    if (mmu_index) s += ",mmu" + std::to_string(mmu_index);
    return s;
}

}  // namespace mimic::ir
