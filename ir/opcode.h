// The Opcode enum and its metadata table, both expanded from opcodes.inc.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace mimic::ir {

enum class Opcode : uint8_t {
#define OPCODE(name, res, a0, a1, a2, a3, flags) k##name,
#include "ir/opcodes.inc"
#undef OPCODE
};

inline constexpr size_t kOpcodeCount = 0
#define OPCODE(name, res, a0, a1, a2, a3, flags) +1
#include "ir/opcodes.inc"
#undef OPCODE
    ;

// Operand kinds of the metadata table (see opcodes.inc).
enum class Kind : uint8_t { N, T, I64, U };

enum OpFlags : uint32_t {
    kPure = 1 << 0,
    kSideEffect = 1 << 1,
    kMayRaise = 1 << 2,
    kTerminator = 1 << 3,
    kReadsGlobals = 1 << 4,
    kWritesGlobals = 1 << 5,
};

struct OpInfo {
    std::string_view name;
    Kind result;
    std::array<Kind, 4> args;
    uint32_t flags;

    constexpr unsigned arg_count() const {
        unsigned n = 0;
        while (n < 4 && args[n] != Kind::N) ++n;
        return n;
    }
};

namespace detail {
inline constexpr Kind N = Kind::N, T = Kind::T, I64 = Kind::I64, U = Kind::U;
inline constexpr std::array<OpInfo, kOpcodeCount> kOpInfo = {{
#define OPCODE(name, res, a0, a1, a2, a3, flags) {#name, res, {a0, a1, a2, a3}, flags},
#include "ir/opcodes.inc"
#undef OPCODE
}};
}  // namespace detail

constexpr const OpInfo& info(Opcode op) {
    return detail::kOpInfo[size_t(op)];
}
constexpr std::string_view name(Opcode op) {
    return info(op).name;
}

}  // namespace mimic::ir
