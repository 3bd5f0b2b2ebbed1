// virtio-blk requests: a 16-byte header the device reads (type, sector), the data, and a status
// byte the device writes last. A request the driver framed wrongly breaks the device
// (DEVICE_NEEDS_RESET); one that asks for sectors past the end gets VIRTIO_BLK_S_IOERR.
#include "devices/virtio/virtio_blk.h"

#include <algorithm>
#include <cstring>

namespace mimic::devices {

namespace {

struct RequestHeader {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};
static_assert(sizeof(RequestHeader) == 16);

constexpr uint64_t kChunk = 256 * 1024;  // bytes moved per backend call
constexpr uint32_t kSegMax = 254;        // the queue size less the header and status descriptors
constexpr size_t kIdBytes = 20;
constexpr uint64_t kMaxTransfer = uint64_t(1) << 30;  // per request: Linux's are a few MiB

template <typename T>
void put(std::vector<uint8_t>& config, size_t offset, T value) {
    std::memcpy(config.data() + offset, &value, sizeof value);
}

}  // namespace

VirtioBlk::VirtioBlk(BlockBackend& backend, std::string serial)
    : backend_(backend), serial_(std::move(serial)), capacity_(backend.size() / kSectorSize) {}

uint64_t VirtioBlk::device_features() const {
    uint64_t f = 1u << kSegMax | 1u << kBlkSize | 1u << kFlush;
    if (backend_.read_only()) f |= 1u << kReadOnly;
    return f;
}

std::vector<uint8_t> VirtioBlk::config() const {
    std::vector<uint8_t> c(36);
    put<uint64_t>(c, 0, capacity_);
    put<uint32_t>(c, 12, kSegMax);
    put<uint32_t>(c, 20, uint32_t(kSectorSize));
    return c;
}

void VirtioBlk::queue_notify(unsigned index) {
    transport_->serve_queue(index, [this](const VirtqElement& request) { return serve(request); });
}

std::optional<uint32_t> VirtioBlk::serve(const VirtqElement& request) {
    const uint64_t writable = request.writable_bytes();
    RequestHeader header;
    if (writable == 0 || !gather(transport_->memory(), request.readable, 0, &header, sizeof header))
        return std::nullopt;
    uint8_t status = kOk;
    uint64_t data_written = 0;  // to the driver's buffers, before the status byte
    switch (header.type) {
        case kIn:
            status = transfer_in(request, header.sector, writable - 1);
            if (status == kOk) data_written = writable - 1;
            break;
        case kOut: status = transfer_out(request, header.sector, request.readable_bytes() - sizeof header); break;
        case kFlushRequest: status = backend_.flush() ? kOk : kIoErr; break;
        case kGetId: {
            char id[kIdBytes] = {};
            std::memcpy(id, serial_.data(), std::min(serial_.size(), kIdBytes));
            data_written = std::min<uint64_t>(writable - 1, kIdBytes);
            if (!scatter(transport_->memory(), request.writable, 0, id, data_written)) status = kIoErr;
            break;
        }
        default: status = kUnsupported; break;
    }
    if (!scatter(transport_->memory(), request.writable, writable - 1, &status, 1)) return std::nullopt;
    return uint32_t(data_written + 1);
}

bool VirtioBlk::in_range(uint64_t sector, uint64_t len) const {
    return len <= kMaxTransfer && len % kSectorSize == 0 && sector <= capacity_ &&
           len / kSectorSize <= capacity_ - sector;
}

uint8_t VirtioBlk::transfer_in(const VirtqElement& request, uint64_t sector, uint64_t len) {
    if (!in_range(sector, len)) return kIoErr;
    std::vector<uint8_t> buffer(std::min(len, kChunk));
    for (uint64_t done = 0; done < len;) {
        const uint64_t n = std::min(len - done, kChunk);
        if (!backend_.read(sector * kSectorSize + done, buffer.data(), n)) return kIoErr;
        if (!scatter(transport_->memory(), request.writable, done, buffer.data(), n)) return kIoErr;
        done += n;
    }
    return kOk;
}

uint8_t VirtioBlk::transfer_out(const VirtqElement& request, uint64_t sector, uint64_t len) {
    if (backend_.read_only() || !in_range(sector, len)) return kIoErr;
    std::vector<uint8_t> buffer(std::min(len, kChunk));
    for (uint64_t done = 0; done < len;) {
        const uint64_t n = std::min(len - done, kChunk);
        if (!gather(transport_->memory(), request.readable, sizeof(RequestHeader) + done, buffer.data(), n))
            return kIoErr;
        if (!backend_.write(sector * kSectorSize + done, buffer.data(), n)) return kIoErr;
        done += n;
    }
    return kOk;
}

}  // namespace mimic::devices
