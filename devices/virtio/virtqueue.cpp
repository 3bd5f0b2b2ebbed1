// Split virtqueues. The guest writes the rings while the device reads them, so indices are read
// once, with fences that order them against the entries they publish (virtio 1.2, 2.7.13).
#include "devices/virtio/virtqueue.h"

#include <algorithm>
#include <atomic>

namespace mimic::devices {

namespace {

struct Descriptor {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};
static_assert(sizeof(Descriptor) == 16);

// Bounds what one indirect table may hold (Linux's are at most a request's segments).
constexpr uint32_t kMaxIndirect = 4096;

uint64_t total(const std::vector<VirtqBuffer>& buffers) {
    uint64_t n = 0;
    for (const VirtqBuffer& b : buffers) n += b.len;
    return n;
}

// Walks the buffers' concatenation from `offset`, calling `copy(addr, len, done)` for each piece.
template <typename Copy>
bool for_range(const std::vector<VirtqBuffer>& buffers, uint64_t offset, uint64_t len, Copy copy) {
    uint64_t done = 0;
    for (const VirtqBuffer& b : buffers) {
        if (done == len) break;
        if (offset >= b.len) {
            offset -= b.len;
            continue;
        }
        const uint64_t n = std::min<uint64_t>(b.len - offset, len - done);
        if (!copy(b.addr + offset, n, done)) return false;
        done += n;
        offset = 0;
    }
    return done == len;
}

}  // namespace

uint64_t VirtqElement::readable_bytes() const {
    return total(readable);
}

uint64_t VirtqElement::writable_bytes() const {
    return total(writable);
}

bool gather(DmaMemory& memory, const std::vector<VirtqBuffer>& buffers, uint64_t offset, void* out, uint64_t len) {
    auto* bytes = static_cast<uint8_t*>(out);
    return for_range(buffers, offset, len,
                     [&](uint64_t addr, uint64_t n, uint64_t done) { return memory.dma_read(addr, bytes + done, n); });
}

bool scatter(DmaMemory& memory, const std::vector<VirtqBuffer>& buffers, uint64_t offset, const void* data,
             uint64_t len) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    return for_range(buffers, offset, len,
                     [&](uint64_t addr, uint64_t n, uint64_t done) { return memory.dma_write(addr, bytes + done, n); });
}

void Virtqueue::reset() {
    size = max_size;
    ready = false;
    desc_addr = avail_addr = used_addr = 0;
    indirect = false;
    held_input.reset();
    last_avail_ = used_idx_ = 0;
}

// Appends the chain that starts at `index` of a table of `count` descriptors. `walked` counts the
// descriptors of this table seen so far: more than `count` means the chain loops.
bool Virtqueue::add_descriptor(DmaMemory& memory, uint64_t table, uint32_t count, uint16_t index, bool in_indirect,
                               VirtqElement& out, uint32_t& walked, std::string& error) {
    for (;;) {
        if (index >= count) {
            error = "descriptor " + std::to_string(index) + " is outside its table of " + std::to_string(count);
            return false;
        }
        if (++walked > count) {
            error = "a descriptor chain loops";
            return false;
        }
        Descriptor d;
        if (!memory.dma_read(table + 16 * uint64_t(index), &d, sizeof d)) {
            error = "a descriptor table is not in guest RAM";
            return false;
        }
        if (d.flags & kDescIndirect) {
            if (in_indirect || !indirect || (d.flags & kDescNext)) {
                error = in_indirect ? "an indirect table refers to another"
                        : !indirect ? "an indirect descriptor without VIRTIO_RING_F_INDIRECT_DESC"
                                    : "an indirect descriptor with NEXT set";
                return false;
            }
            if (d.len == 0 || d.len % 16 || d.len / 16 > kMaxIndirect) {
                error = "an indirect table of " + std::to_string(d.len) + " bytes";
                return false;
            }
            uint32_t walked_indirect = 0;
            return add_descriptor(memory, d.addr, d.len / 16, 0, true, out, walked_indirect, error);
        }
        if (d.flags & kDescWrite) {
            out.writable.push_back({d.addr, d.len});
        } else if (!out.writable.empty()) {
            error = "a device-readable descriptor follows a device-writable one";
            return false;
        } else {
            out.readable.push_back({d.addr, d.len});
        }
        if (!(d.flags & kDescNext)) return true;
        index = d.next;
    }
}

Virtqueue::Pop Virtqueue::pop(DmaMemory& memory, VirtqElement& out, std::string& error) {
    if (!ready || size == 0) return Pop::kEmpty;
    uint16_t avail_idx;
    if (!memory.dma_read(avail_addr + 2, &avail_idx, 2)) {
        error = "the available ring is not in guest RAM";
        return Pop::kError;
    }
    if (avail_idx == last_avail_) return Pop::kEmpty;
    if (uint16_t(avail_idx - last_avail_) > size) {
        error = "the available index moved by more than the queue size";
        return Pop::kError;
    }
    std::atomic_thread_fence(std::memory_order_acquire);  // the entries published before the index
    uint16_t head;
    if (!memory.dma_read(avail_addr + 4 + 2 * uint64_t(last_avail_ % size), &head, 2)) {
        error = "the available ring is not in guest RAM";
        return Pop::kError;
    }
    out.head = head;
    out.readable.clear();
    out.writable.clear();
    uint32_t walked = 0;
    if (!add_descriptor(memory, desc_addr, size, head, false, out, walked, error)) return Pop::kError;
    ++last_avail_;
    return Pop::kElement;
}

bool Virtqueue::push(DmaMemory& memory, const VirtqElement& element, uint32_t written, std::string& error) {
    const uint32_t entry[2] = {element.head, written};
    if (!memory.dma_write(used_addr + 4 + 8 * uint64_t(used_idx_ % size), entry, sizeof entry)) {
        error = "the used ring is not in guest RAM";
        return false;
    }
    ++used_idx_;
    std::atomic_thread_fence(std::memory_order_release);  // the entry before the index that publishes it
    if (!memory.dma_write(used_addr + 2, &used_idx_, 2)) {
        error = "the used ring is not in guest RAM";
        return false;
    }
    return true;
}

bool Virtqueue::wants_interrupt(DmaMemory& memory) const {
    // The used index is out before the driver's flags are read: the driver sets them, then checks
    // the used ring again, and one of the two sides sees the other's write.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    uint16_t flags = 0;
    if (!memory.dma_read(avail_addr, &flags, 2)) return true;
    return !(flags & kAvailNoInterrupt);
}

}  // namespace mimic::devices
