// virtio-console (virtio 1.2, section 5.3) with one port and no multiport control queue: the
// guest's hvc0, connected to a CharBackend. What QEMU's virtio-serial-device with one virtconsole
// port gives Linux, in the simpler form the spec also allows.
#pragma once

#include "devices/char_backend.h"
#include "devices/virtio/virtio_mmio.h"

namespace mimic::devices {

class VirtioConsole final : public VirtioDevice, public CharFrontend {
public:
    static constexpr uint32_t kDeviceId = 3;
    enum Queue : unsigned { kReceive = 0, kTransmit = 1 };

    // `backend` may be null (output dropped, no input); it must outlive the device.
    explicit VirtioConsole(CharBackend* backend) : backend_(backend) {}

    const char* name() const override { return "virtio-console"; }
    uint32_t device_id() const override { return kDeviceId; }
    uint64_t device_features() const override { return 0; }
    unsigned queue_count() const override { return 2; }
    std::vector<uint8_t> config() const override { return std::vector<uint8_t>(12); }
    void plugged(VirtioMmio& transport) override;
    void unplugged() override;
    void queue_notify(unsigned index) override;
    void input_possible() override;

    // CharFrontend: input for the guest, into its receive buffers one at a time.
    size_t can_receive() override;
    void receive(const uint8_t* data, size_t size) override;

private:
    CharBackend* const backend_;
};

}  // namespace mimic::devices
