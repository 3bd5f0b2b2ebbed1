// QEMU's RISC-V boot placement, pinned to addresses observed with qemu-system-riscv64 7.2
// (a probe kernel printing a0, a1, a2 and fw_dynamic_info; -M virt,dumpdtb for the initrd).
#include <catch2/catch.hpp>

#include <cstring>

#include "machines/common/boot_layout.h"

using namespace mimic::machines;

TEST_CASE("the device tree goes at the end of RAM, below 3 GiB, 2 MiB aligned", "[machines][boot]") {
    const uint64_t base = 0x80000000, kib = 1024;
    // a1 under QEMU 7.2 with its generated tree, for these -m sizes.
    CHECK(riscv_fdt_address(base, 128 * kMiB, kQemuFdtReserve) == 0x87e00000);
    CHECK(riscv_fdt_address(base, 129 * kMiB, kQemuFdtReserve) == 0x88000000);
    CHECK(riscv_fdt_address(base, 131584 * kib, kQemuFdtReserve) == 0x87e00000);  // 1 MiB reserved, not 4 KiB
    CHECK(riscv_fdt_address(base, 132088 * kib, kQemuFdtReserve) == 0x87e00000);
    CHECK(riscv_fdt_address(base, 1 * kGiB, kQemuFdtReserve) == 0xbfe00000);
    CHECK(riscv_fdt_address(base, 3000 * kMiB, kQemuFdtReserve) == 0xbfe00000);  // capped at the 3 GiB address
    CHECK(riscv_fdt_address(base, 3073 * kMiB, kQemuFdtReserve) == 0xbfe00000);
    CHECK(riscv_fdt_address(base, 8 * kGiB, kQemuFdtReserve) == 0xbfe00000);
    // ... and with -dtb of a 2865-byte file.
    CHECK(qemu_dtb_file_reserve(2865) == 25730);
    CHECK(riscv_fdt_address(base, 131088 * kib, qemu_dtb_file_reserve(2865)) == 0x87e00000);
    CHECK(riscv_fdt_address(base, 131104 * kib, qemu_dtb_file_reserve(2865)) == 0x88000000);

    CHECK(riscv_fdt_address(0x100000000, 1 * kGiB, kQemuFdtReserve) == 0x13fe00000);  // RAM above 3 GiB: no cap
    CHECK(riscv_fdt_address(base, 1 * kMiB, 0x2000) == 0x80000000);
    CHECK(riscv_fdt_address(base, 512 * kib, kQemuFdtReserve) == 0);  // does not fit
}

TEST_CASE("the kernel follows the firmware at 2 MiB, the initrd half of RAM or 128 MiB later", "[machines][boot]") {
    CHECK(riscv_kernel_start(0x80000000) == 0x80000000);  // -bios none
    CHECK(riscv_kernel_start(0x8001c280) == 0x80200000);  // after OpenSBI's fw_dynamic.bin
    CHECK(riscv_kernel_start(0x80200000) == 0x80200000);
    CHECK(riscv_initrd_start(0x7ffff000, 128 * kMiB) == 0x83fff000);  // from the kernel's lowest byte
    CHECK(riscv_initrd_start(0x7ffff000, 256 * kMiB) == 0x87fff000);
    CHECK(riscv_initrd_start(0x80200000, 8 * kGiB) == 0x88200000);
}

TEST_CASE("the reset vector is QEMU's: a0 = hartid, a1 = fdt, a2 = fw_dynamic_info", "[machines][boot]") {
    ResetVector v;
    v.start = 0x80000000;
    v.fdt = 0x87e00000;
    v.next_addr = 0x80200000;
    const std::vector<uint8_t> rom = riscv_reset_vector(v);
    // The words QEMU 7.2 has at 0x1000 (monitor: xp /20wx 0x1000), for a kernel at 0x80200000.
    const uint32_t expected[] = {0x00000297, 0x02828613, 0xf1402573, 0x0202b583, 0x0182b283, 0x00028067,
                                 0x80000000, 0x00000000, 0x87e00000, 0x00000000, 0x4942534f, 0x00000000,
                                 0x00000002, 0x00000000, 0x80200000, 0x00000000, 0x00000001, 0x00000000,
                                 0x00000000, 0x00000000, 0x00000000, 0x00000000};
    REQUIRE(rom.size() == sizeof expected);
    for (size_t i = 0; i < std::size(expected); ++i) {
        uint32_t word;
        std::memcpy(&word, rom.data() + 4 * i, 4);
        INFO("word " << i);
        CHECK(word == expected[i]);
    }
    CHECK(kFwDynamicInfoOffset == 10 * 4);
}
