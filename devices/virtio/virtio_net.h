// virtio-net (virtio 1.2, section 5.1): an Ethernet card with a MAC address and a link that is
// always up, on a NetBackend. No offloads: every frame is whole, after a virtio_net_hdr of zeros.
#pragma once

#include <array>

#include "devices/net_backend.h"
#include "devices/virtio/virtio_mmio.h"

namespace mimic::devices {

class VirtioNet final : public VirtioDevice, public NetFrontend {
public:
    static constexpr uint32_t kDeviceId = 1;
    enum Feature : unsigned { kMac = 5, kStatus = 16 };
    enum Queue : unsigned { kReceive = 0, kTransmit = 1 };
    static constexpr size_t kMaxFrame = 65535 + 14;  // what the guest may send, header excluded

    // `backend` may be null (a card with no cable: frames are dropped); it must outlive the device.
    VirtioNet(NetBackend* backend, std::array<uint8_t, 6> mac) : backend_(backend), mac_(mac) {}

    const char* name() const override { return "virtio-net"; }
    uint32_t device_id() const override { return kDeviceId; }
    uint64_t device_features() const override { return 1u << kMac | 1u << kStatus; }
    unsigned queue_count() const override { return 2; }
    std::vector<uint8_t> config() const override;
    void plugged(VirtioMmio& transport) override;
    void unplugged() override;
    void queue_notify(unsigned index) override;
    void input_possible() override;

    // NetFrontend
    bool receive(const uint8_t* frame, size_t size) override;

private:
    size_t header_size() const;

    NetBackend* const backend_;
    const std::array<uint8_t, 6> mac_;
};

}  // namespace mimic::devices
