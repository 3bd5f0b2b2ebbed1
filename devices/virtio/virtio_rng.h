// virtio-rng (virtio 1.2, section 5.4): the driver's buffers filled with the host's randomness.
#pragma once

#include "devices/virtio/virtio_mmio.h"

namespace mimic::devices {

class VirtioRng final : public VirtioDevice {
public:
    static constexpr uint32_t kDeviceId = 4;

    const char* name() const override { return "virtio-rng"; }
    uint32_t device_id() const override { return kDeviceId; }
    uint64_t device_features() const override { return 0; }
    unsigned queue_count() const override { return 1; }
    std::vector<uint8_t> config() const override { return {}; }
    void queue_notify(unsigned index) override;
};

}  // namespace mimic::devices
