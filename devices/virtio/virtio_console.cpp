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
    const VirtqElement* buffer = transport_->running() ? transport_->input_buffer(kReceive) : nullptr;
    return buffer ? size_t(std::min<uint64_t>(buffer->writable_bytes(), kMaxTransmit)) : 0;
}

void VirtioConsole::receive(const uint8_t* data, size_t size) {
    auto lock = transport_->lock();
    const VirtqElement* buffer = transport_->running() ? transport_->input_buffer(kReceive) : nullptr;
    if (!buffer) return;
    const size_t n = size_t(std::min<uint64_t>(size, buffer->writable_bytes()));
    transport_->complete_input(kReceive, {{data, n}});
}

}  // namespace mimic::devices
