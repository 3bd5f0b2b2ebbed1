// Capstone in the host's mode (x86-64 Intel syntax, or AArch64), one handle per call so that any
// thread may dump.
#include "backends/baseline/host_disasm.h"

#include <capstone/capstone.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>

namespace mimic {

namespace {

#if defined(__x86_64__)
constexpr cs_arch kArch = CS_ARCH_X86;
constexpr cs_mode kMode = CS_MODE_64;
#elif defined(__aarch64__)
constexpr cs_arch kArch = CS_ARCH_ARM64;
constexpr cs_mode kMode = CS_MODE_LITTLE_ENDIAN;
#else
#error "host_disasm: no Capstone mode for this host"
#endif

void append_line(std::string& out, uint64_t address, const char* mnemonic, const char* operands) {
    char line[256];
    std::snprintf(line, sizeof line, "0x%016" PRIx64 ":  %s%s%s\n", address, mnemonic, *operands ? " " : "", operands);
    out += line;
}

}  // namespace

std::string disassemble_host(const void* code, size_t size) {
    csh handle;
    if (cs_open(kArch, kMode, &handle) != CS_ERR_OK) return "(capstone unavailable)\n";
    cs_insn* insn = cs_malloc(handle);
    std::string out;
    const auto* bytes = static_cast<const uint8_t*>(code);
    uint64_t address = reinterpret_cast<uintptr_t>(code);
    size_t left = size;
    while (left > 0) {
        if (cs_disasm_iter(handle, &bytes, &left, &address, insn)) {
            append_line(out, insn->address, insn->mnemonic, insn->op_str);
            continue;
        }
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02x", *bytes);
        append_line(out, address, ".byte", byte);
        ++bytes, ++address, --left;
    }
    cs_free(insn, 1);
    cs_close(&handle);
    return out;
}

}  // namespace mimic
