// Loads an ELF64 executable (and its program interpreter, if any) into a guest address space.
// Every field is checked against the file before use: a malformed file is an error, never a crash.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "user/address_space.h"

namespace mimic::user {

struct ElfImage {
    uint64_t entry = 0;          // where execution starts (the interpreter's entry when there is one)
    uint64_t program_entry = 0;  // AT_ENTRY: the program's own entry
    uint64_t phdr_addr = 0;      // AT_PHDR
    uint16_t phent = 0, phnum = 0;
    uint64_t load_bias = 0;
    uint64_t interp_base = 0;  // AT_BASE (0 without an interpreter)
    uint64_t brk_start = 0;    // first byte after the highest segment
};

struct ElfTarget {
    uint16_t machine;   // EM_RISCV, EM_AARCH64, ...
    uint64_t dyn_base;  // where a position-independent executable goes
    uint64_t interp_base;
};

// A problem with the user's input (a file, an option): its message is one line for the user.
struct UserError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Throws UserError naming the file and what is wrong with it.
ElfImage load_elf(AddressSpace& as, const std::string& path, const ElfTarget& target, const std::string& interp_prefix);

}  // namespace mimic::user
