// Where QEMU's RISC-V boards (virt, spike) put the kernel, initrd and device tree, and the reset
// vector ROM that starts hart 0..N with a0 = hartid, a1 = device tree, a2 = OpenSBI's fw_dynamic_info.
// Numbers checked against qemu-system-riscv64 7.2 (see tests/machines/test_boot_layout.cpp).
#pragma once

#include <cstdint>
#include <vector>

namespace mimic::machines {

constexpr uint64_t kMiB = uint64_t(1) << 20;
constexpr uint64_t kGiB = uint64_t(1) << 30;

// A kernel goes at the first 2 MiB boundary after the firmware's last byte (RV64); with
// -bios none, `firmware_end` is the RAM base.
uint64_t riscv_kernel_start(uint64_t firmware_end);

// The initrd goes min(RAM / 2, 128 MiB) above the kernel's lowest address, so that the kernel can
// unpack itself below it.
uint64_t riscv_initrd_start(uint64_t kernel_low, uint64_t ram_size);

// The device tree goes at the end of RAM, but below 3 GiB (an absolute address, so that 32-bit
// code reaches it) when RAM starts below 3 GiB, `reserve` bytes lower and aligned down to 2 MiB.
// Returns 0 when RAM is too small.
uint64_t riscv_fdt_address(uint64_t ram_base, uint64_t ram_size, uint64_t reserve);

// QEMU reserves its device tree buffer's size, not the tree's: 1 MiB for the tree it generates,
// (file size + 10000) * 2 for a -dtb file. Passing these makes a1 what it is under QEMU.
constexpr uint64_t kQemuFdtReserve = 1 * kMiB;
constexpr uint64_t qemu_dtb_file_reserve(uint64_t file_size) {
    return (file_size + 10000) * 2;
}

// OpenSBI's fw_dynamic_info: how the firmware finds the next stage.
constexpr uint64_t kFwDynamicInfoMagic = 0x4942534f;  // "OSBI"
constexpr uint64_t kFwDynamicInfoVersion = 2;
constexpr uint64_t kFwDynamicNextModeS = 1;

struct ResetVector {
    uint64_t start = 0;      // where every hart jumps: the firmware, or the kernel with -bios none
    uint64_t fdt = 0;        // a1
    uint64_t next_addr = 0;  // fw_dynamic_info.next_addr: the kernel (its lowest address), or 0
    uint64_t next_mode = kFwDynamicNextModeS;
    uint64_t boot_hart = 0;
};

// The ROM's bytes (little-endian), for the board to place at its reset address (0x1000 on virt
// and spike): code, then start and fdt, then fw_dynamic_info at offset kFwDynamicInfoOffset.
constexpr uint64_t kFwDynamicInfoOffset = 0x28;
std::vector<uint8_t> riscv_reset_vector(const ResetVector& v);

}  // namespace mimic::machines
