// The device tree of `-M virt`, generated with libfdt from a description of the board. Node
// names, properties, phandles and node order follow qemu-system-riscv64 7.2's tree for the devices
// Mimic has, so that firmware and kernels see what they see under QEMU.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mimic::machines {

struct FdtError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct FdtRegion {
    uint64_t base = 0;
    uint64_t size = 0;
};

// A device with one PLIC interrupt.
struct FdtIrqDevice {
    FdtRegion reg;
    uint32_t irq = 0;
};

struct VirtFdtConfig {
    unsigned harts = 1;
    FdtRegion ram{0x80000000, uint64_t(128) << 20};
    uint32_t timebase_frequency = 10'000'000;
    std::string isa = "rv64imafdc_zicsr_zifencei_zba_zbb_zbs_sstc";
    std::string mmu_type = "riscv,sv48";

    std::string bootargs;             // empty: no /chosen/bootargs
    std::optional<FdtRegion> initrd;  // linux,initrd-start/-end
    std::vector<uint8_t> rng_seed;    // empty: no /chosen/rng-seed (QEMU gives 32 random bytes)

    FdtRegion clint{0x2000000, 0x10000};
    FdtRegion plic{0xc000000, 0x600000};
    uint32_t plic_ndev = 96;  // riscv,ndev: the PLIC's highest source number (QEMU 7.2: 0x60)
    FdtIrqDevice uart{{0x10000000, 0x100}, 10};
    uint32_t uart_clock = 3686400;
    std::optional<FdtRegion> test = FdtRegion{0x100000, 0x1000};  // sifive_test, with poweroff/reboot
    std::optional<FdtIrqDevice> rtc = FdtIrqDevice{{0x101000, 0x1000}, 11};
    // Nodes appear in this order. QEMU lists its eight slots from the highest address down, which
    // is the order Linux probes them in (and so names the disks): qemu_virt_fdt_config() does too.
    std::vector<FdtIrqDevice> virtio_mmio;
};

// The description of QEMU's virt board with `harts` harts and `ram_size` bytes of RAM, including
// its eight virtio-mmio slots (0x10001000 + 0x1000 * i, IRQ 1 + i).
VirtFdtConfig qemu_virt_fdt_config(unsigned harts, uint64_t ram_size);

// The flattened device tree (packed, version 17). Throws FdtError for an impossible description.
std::vector<uint8_t> build_virt_fdt(const VirtFdtConfig& config);

}  // namespace mimic::machines
