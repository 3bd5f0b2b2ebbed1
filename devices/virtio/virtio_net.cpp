// virtio-net: transmitted chains are a header and a frame, sent on as they come; frames for the
// guest wait in the backend until the driver has given receive buffers.
#include "devices/virtio/virtio_net.h"

#include <cstring>

#include "devices/device_log.h"

namespace mimic::devices {

namespace {
constexpr uint16_t kLinkUp = 1;
}

std::vector<uint8_t> VirtioNet::config() const {
    std::vector<uint8_t> c(8);
    std::memcpy(c.data(), mac_.data(), mac_.size());
    c[6] = kLinkUp;
    return c;
}

// Version 1 has the 12-byte header with num_buffers; legacy drivers without mergeable receive
// buffers use the 10-byte one.
size_t VirtioNet::header_size() const {
    return transport_->has_feature(kVirtioFVersion1) ? 12 : 10;
}

void VirtioNet::plugged(VirtioMmio& transport) {
    VirtioDevice::plugged(transport);
    if (backend_) backend_->attach(this);
}

// Detaching waits for a frame being delivered: no call reaches the transport after this.
void VirtioNet::unplugged() {
    if (backend_) backend_->attach(nullptr);
    VirtioDevice::unplugged();
}

void VirtioNet::input_possible() {
    if (backend_) backend_->accept_input();
}

void VirtioNet::queue_notify(unsigned index) {
    if (index == kReceive) return;  // input_possible() follows
    transport_->serve_queue(index, [this](const VirtqElement& chain) -> std::optional<uint32_t> {
        const uint64_t header = header_size();
        const uint64_t total = chain.readable_bytes();
        if (total < header) return std::nullopt;
        if (total - header > kMaxFrame) {
            if (log_enabled(transport_->log(), kLogGuestErrors))
                transport_->log()->printf("virtio-net: a %llu-byte frame dropped\n", (unsigned long long)total);
            return 0;
        }
        std::vector<uint8_t> frame(total - header);
        if (!gather(transport_->memory(), chain.readable, header, frame.data(), frame.size())) return std::nullopt;
        if (backend_) backend_->send(frame.data(), frame.size());
        return 0;
    });
}

bool VirtioNet::receive(const uint8_t* frame, size_t size) {
    auto lock = transport_->lock();
    if (!transport_->running()) return true;  // no driver: the frame is dropped, as on a real card
    const VirtqElement* buffer = transport_->input_buffer(kReceive);
    if (!buffer) return !transport_->running();  // kept for the next buffer, unless the ring broke
    const size_t header = header_size();
    if (buffer->writable_bytes() < header + size) {
        // The driver's buffers are too small for this frame (no mergeable buffers): drop it, and
        // keep the buffer for the next.
        if (log_enabled(transport_->log(), kLogGuestErrors))
            transport_->log()->printf("virtio-net: a receive buffer too small for a %zu-byte frame\n", size);
        return true;
    }
    uint8_t zeros[12] = {};
    zeros[10] = 1;  // num_buffers, in version 1's header
    transport_->complete_input(kReceive, {{zeros, header}, {frame, size}});
    return true;
}

}  // namespace mimic::devices
