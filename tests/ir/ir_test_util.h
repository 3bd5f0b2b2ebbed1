// A toy global table for IR tests: four 64-bit registers r0..r3 and one 32-bit w0.
#pragma once

#include <array>

#include "ir/block.h"
#include "ir/builder.h"

namespace mimic::test {

inline const std::array<ir::GlobalInfo, 5> kTestGlobals = {{
    {"r0", 0, ir::Type::kI64},
    {"r1", 8, ir::Type::kI64},
    {"r2", 16, ir::Type::kI64},
    {"r3", 24, ir::Type::kI64},
    {"w0", 32, ir::Type::kI32},
}};

// Emits without folding, so the passes get something to do.
inline ir::Value emit(ir::Builder& b, ir::Opcode op, ir::Type t, std::initializer_list<ir::Value> args,
                      uint64_t aux = 0) {
    ir::Inst in{op, t, {}, aux};
    unsigned i = 0;
    for (const auto& a : args) in.args[i++] = a;
    return b.emit(in);
}

// The printed block without its header line.
inline std::string body(const ir::Block& b) {
    const std::string s = b.to_string();
    return s.substr(s.find('\n') + 1);
}

}  // namespace mimic::test
