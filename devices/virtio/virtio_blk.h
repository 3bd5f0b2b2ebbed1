// virtio-blk (virtio 1.2, section 5.2): a disk of 512-byte sectors on a BlockBackend, with reads,
// writes, flushes and the device ID. Requests are served on the vCPU that notifies the queue.
#pragma once

#include <string>

#include "devices/block_backend.h"
#include "devices/virtio/virtio_mmio.h"

namespace mimic::devices {

class VirtioBlk final : public VirtioDevice {
public:
    static constexpr uint32_t kDeviceId = 2;
    static constexpr uint64_t kSectorSize = 512;
    enum Feature : unsigned { kSegMax = 2, kReadOnly = 5, kBlkSize = 6, kFlush = 9 };
    enum RequestType : uint32_t { kIn = 0, kOut = 1, kFlushRequest = 4, kGetId = 8 };
    enum RequestStatus : uint8_t { kOk = 0, kIoErr = 1, kUnsupported = 2 };

    // `serial` is what VIRTIO_BLK_T_GET_ID returns (at most 20 bytes are used).
    VirtioBlk(BlockBackend& backend, std::string serial);

    const char* name() const override { return "virtio-blk"; }
    uint32_t device_id() const override { return kDeviceId; }
    uint64_t device_features() const override;
    unsigned queue_count() const override { return 1; }
    std::vector<uint8_t> config() const override;
    void queue_notify(unsigned index) override;

private:
    // Serves one request; returns the bytes written to the driver's buffers, status included.
    std::optional<uint32_t> serve(const VirtqElement& request);
    uint8_t transfer_in(const VirtqElement& request, uint64_t sector, uint64_t len);
    uint8_t transfer_out(const VirtqElement& request, uint64_t sector, uint64_t len);
    bool in_range(uint64_t sector, uint64_t len) const;

    BlockBackend& backend_;
    const std::string serial_;
    const uint64_t capacity_;  // sectors
};

}  // namespace mimic::devices
