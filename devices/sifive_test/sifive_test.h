// SiFive test finisher (QEMU virt's "sifive,test1" at 0x100000): a write at offset 0 powers the
// machine off with an exit status, or resets it. Linux's syscon-poweroff/reboot and test programs use it.
#pragma once

#include "devices/device.h"
#include "devices/machine_control.h"
#include "engine/log.h"

namespace mimic::devices {

class SifiveTest final : public MmioDevice {
public:
    static constexpr uint32_t kFail = 0x3333;  // exit status in bits 31:16
    static constexpr uint32_t kPass = 0x5555;
    static constexpr uint32_t kReset = 0x7777;

    SifiveTest(MachineControl* control, Log* log = nullptr) : control_(control), log_(log) {}

    std::string_view name() const override { return "sifive_test"; }
    // QEMU 7.2 accepts 16-bit writes too (checked: `sh 0x5555` powers off).
    unsigned access_sizes() const override { return kSize2 | kSize4; }
    uint64_t read(uint64_t offset, unsigned size) override { return 0; }
    void write(uint64_t offset, unsigned size, uint64_t value) override;

private:
    MachineControl* const control_;
    Log* const log_;
};

}  // namespace mimic::devices
