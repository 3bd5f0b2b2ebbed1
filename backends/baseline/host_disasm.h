// Host machine code as text, for -d out_asm: Capstone's disassembly of a compiled function (the baseline and LLVM
// tiers).
#pragma once

#include <cstddef>
#include <string>

namespace mimic {

// One line per instruction, as QEMU's out_asm: "0x00007f0012345678:  mov rax, qword ptr [rdi + 8]".
// Bytes Capstone cannot decode are shown as ".byte 0x..", one per line, and decoding resumes after.
std::string disassemble_host(const void* code, size_t size);

}  // namespace mimic
