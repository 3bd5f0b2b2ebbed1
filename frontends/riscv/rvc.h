// C extension: each compressed instruction expands to the 32-bit instruction it stands for, which
// then decodes and translates like any other (with length 2 for the link address and pc updates).
#pragma once

#include <cstdint>
#include <optional>

namespace mimic::riscv {

// The 32-bit equivalent of a 16-bit RV64C instruction, or nothing for a reserved/illegal encoding.
std::optional<uint32_t> expand_compressed(uint16_t insn);

}  // namespace mimic::riscv
