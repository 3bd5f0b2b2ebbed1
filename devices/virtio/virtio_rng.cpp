// virtio-rng: each request's writable buffers, up to kMaxRequest bytes, from getrandom(2).
#include "devices/virtio/virtio_rng.h"

#include <sys/random.h>

#include <algorithm>

namespace mimic::devices {

namespace {

constexpr uint64_t kMaxRequest = 64 * 1024;

bool fill_random(uint8_t* out, size_t len) {
    for (size_t done = 0; done < len;) {
        const ssize_t n = getrandom(out + done, len - done, 0);
        if (n <= 0) return false;
        done += size_t(n);
    }
    return true;
}

}  // namespace

void VirtioRng::queue_notify(unsigned index) {
    transport_->serve_queue(index, [&](const VirtqElement& request) -> std::optional<uint32_t> {
        std::vector<uint8_t> bytes(std::min(request.writable_bytes(), kMaxRequest));
        if (!fill_random(bytes.data(), bytes.size()) ||
            !scatter(transport_->memory(), request.writable, 0, bytes.data(), bytes.size()))
            return 0;
        return uint32_t(bytes.size());
    });
}

}  // namespace mimic::devices
