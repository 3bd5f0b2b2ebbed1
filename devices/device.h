// The contract between a device model and the bus: a device is a block of registers reached by
// MMIO at offsets from its base. The bus (softmmu) enforces the declared access sizes and
// alignment before calling the device; machines/ decide where the device sits.
#pragma once

#include <cstdint>
#include <string_view>

namespace mimic::devices {

// Byte sizes, as a bit set: kSize1 | kSize4 means byte and word accesses.
enum AccessSizes : unsigned {
    kSize1 = 1 << 0,
    kSize2 = 1 << 1,
    kSize4 = 1 << 2,
    kSize8 = 1 << 3,
};

class MmioDevice {
public:
    virtual ~MmioDevice() = default;
    virtual std::string_view name() const = 0;
    // Sizes the device accepts. Another size, or an access not naturally aligned, never reaches
    // the device: the bus reports an access fault to the CPU and logs it under -d guest_errors.
    virtual unsigned access_sizes() const = 0;
    // `offset` is from the device's base; `size` is 1, 2, 4 or 8. Registers that do not exist
    // read as zero and ignore writes (logged under -d guest_errors by the device).
    // Devices are called from several vCPU threads and from their own host threads: each device
    // serialises itself.
    virtual uint64_t read(uint64_t offset, unsigned size) = 0;
    virtual void write(uint64_t offset, unsigned size, uint64_t value) = 0;
};

}  // namespace mimic::devices
