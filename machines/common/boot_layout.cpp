// QEMU's RISC-V boot placement rules and the reset vector ROM.
#include "machines/common/boot_layout.h"

#include <algorithm>

namespace mimic::machines {
namespace {

constexpr uint32_t kT0 = 5, kA0 = 10, kA1 = 11, kA2 = 12;
constexpr uint32_t kCsrMhartid = 0xf14;

uint32_t i_type(uint32_t imm, uint32_t rs1, uint32_t funct3, uint32_t rd, uint32_t opcode) {
    return (imm & 0xfff) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
}

void put32(std::vector<uint8_t>& out, uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(uint8_t(v >> (8 * i)));
}

void put64(std::vector<uint8_t>& out, uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(uint8_t(v >> (8 * i)));
}

}  // namespace

uint64_t riscv_kernel_start(uint64_t firmware_end) {
    const uint64_t align = 2 * kMiB;
    return (firmware_end + align - 1) & ~(align - 1);
}

uint64_t riscv_initrd_start(uint64_t kernel_low, uint64_t ram_size) {
    return kernel_low + std::min(ram_size / 2, 128 * kMiB);
}

uint64_t riscv_fdt_address(uint64_t ram_base, uint64_t ram_size, uint64_t reserve) {
    const uint64_t ram_end = ram_base + ram_size;
    const uint64_t top = ram_base < 3 * kGiB ? std::min(ram_end, 3 * kGiB) : ram_end;
    if (reserve > top - ram_base) return 0;
    const uint64_t addr = (top - reserve) & ~(2 * kMiB - 1);
    return addr < ram_base ? 0 : addr;
}

std::vector<uint8_t> riscv_reset_vector(const ResetVector& v) {
    // The data words follow the six instructions: start at +0x18, fdt at +0x20, info at +0x28.
    std::vector<uint8_t> rom;
    put32(rom, 0x00000297);                                       // auipc t0, 0
    put32(rom, i_type(kFwDynamicInfoOffset, kT0, 0, kA2, 0x13));  // addi  a2, t0, info
    put32(rom, i_type(kCsrMhartid, 0, 2, kA0, 0x73));             // csrr  a0, mhartid
    put32(rom, i_type(0x20, kT0, 3, kA1, 0x03));                  // ld    a1, fdt(t0)
    put32(rom, i_type(0x18, kT0, 3, kT0, 0x03));                  // ld    t0, start(t0)
    put32(rom, i_type(0, kT0, 0, 0, 0x67));                       // jr    t0
    put64(rom, v.start);
    put64(rom, v.fdt);
    put64(rom, kFwDynamicInfoMagic);
    put64(rom, kFwDynamicInfoVersion);
    put64(rom, v.next_addr);
    put64(rom, v.next_mode);
    put64(rom, 0);  // options
    put64(rom, v.boot_hart);
    return rom;
}

}  // namespace mimic::machines
