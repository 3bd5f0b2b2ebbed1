// The interpreter's operand assignment (operands.cpp): each IR instruction's result gets a word
// of env, a register in place where that is safe or a reused scratch word. Internal to backends/interp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "engine/cpu_header.h"
#include "ir/block.h"

namespace mimic::interp {

inline constexpr uint32_t kScratchWord = offsetof(CpuHeader, scratch) / 8;

// Chooses each instruction's result word and marks the instructions that need no op:
//  - a GetGlobal of a 64-bit register nothing writes before the value's last use reads the
//    register in place;
//  - an op right before a SetGlobal of its result writes the register itself, when nothing writes
//    the register again before the value's last use; the SetGlobal goes;
//  - everything else gets a scratch word after the constants, reused once its value is dead.
// Constants the block uses are appended to `consts`, their words recorded in `const_words`.
std::vector<uint32_t> assign_operands(const ir::Block& block, std::vector<uint64_t>& consts,
                                      std::unordered_map<uint64_t, uint32_t>& const_words, std::vector<bool>& dropped);

}  // namespace mimic::interp
