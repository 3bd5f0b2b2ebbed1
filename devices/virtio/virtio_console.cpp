// virtio-console: transmit buffers go to the backend as they come; input waits in the backend
// until the driver has given a receive buffer, and each piece is returned at once.
#include "devices/virtio/virtio_console.h"

namespace mimic::devices {

namespace {
constexpr uint64_t kMaxTransmit = 64 * 1024;  // per buffer chain
}

void VirtioConsole::plugged(VirtioMmio& transport) {
    VirtioDevice::plugged(transport);
    if (backend_) backend_->attach(this);
}

// Detaching waits for input being delivered: no call reaches the transport after this.
void VirtioConsole::unplugged() {
    if (backend_) backend_->attach(nullptr);
    VirtioDevice::unplugged();
}

void VirtioConsole::queue_notify(unsigned index) {
    if (index == kReceive) return;  // input_possible() follows
    transport_->serve_queue(index, [this](const VirtqElement& chain) -> std::optional<uint32_t> {
        std::vector<uint8_t> bytes(std::min(chain.readable_bytes(), kMaxTransmit));
        if (!gather(transport_->memory(), chain.readable, 0, bytes.data(), bytes.size())) return std::nullopt;
        if (backend_) backend_->write(bytes.data(), bytes.size());
        return 0;
    });
}

void VirtioConsole::input_possible() {
    if (backend_) backend_->accept_input();
}

size_t VirtioConsole::can_receive() {
    auto lock = transport_->lock();
    if (!transport_->running()) return 0;
    if (!held_) {
        VirtqElement element;
        std::string error;
        const Virtqueue::Pop got = transport_->queue(kReceive).pop(transport_->memory(), element, error);
        if (got == Virtqueue::Pop::kError) transport_->fail(error);
        if (got != Virtqueue::Pop::kElement) return 0;
        if (element.writable_bytes() == 0) {
            transport_->fail("a receive buffer with no room");
            return 0;
        }
        held_ = std::move(element);
    }
    return size_t(std::min<uint64_t>(held_->writable_bytes(), kMaxTransmit));
}

void VirtioConsole::receive(const uint8_t* data, size_t size) {
    auto lock = transport_->lock();
    if (!held_ || !transport_->running()) return;
    const VirtqElement element = std::move(*held_);
    held_.reset();
    std::string error;
    Virtqueue& q = transport_->queue(kReceive);
    const uint64_t n = std::min<uint64_t>(size, element.writable_bytes());
    if (!scatter(transport_->memory(), element.writable, 0, data, n) ||
        !q.push(transport_->memory(), element, uint32_t(n), error))
        return transport_->fail(error.empty() ? "a receive buffer outside guest RAM" : error);
    transport_->notify_used(kReceive);
}

}  // namespace mimic::devices
