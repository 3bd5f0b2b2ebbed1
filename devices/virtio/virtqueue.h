// Split virtqueues (virtio 1.2, section 2.7): the driver's descriptor table and available ring, and
// the device's used ring, all in guest memory. A device takes chains of buffers the driver made
// available and gives them back used. Everything read from the guest is checked: a bad chain is an
// error the transport reports (DEVICE_NEEDS_RESET), never a host fault.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "devices/dma.h"

namespace mimic::devices {

struct VirtqBuffer {
    uint64_t addr = 0;
    uint32_t len = 0;
};

// One chain of descriptors, split into what the device reads and what it writes.
struct VirtqElement {
    uint16_t head = 0;
    std::vector<VirtqBuffer> readable;  // driver to device, in chain order
    std::vector<VirtqBuffer> writable;  // device to driver, after all readable ones

    uint64_t readable_bytes() const;
    uint64_t writable_bytes() const;
};

// Gathers `len` bytes at `offset` into the buffers' concatenation; false if they run short or one
// is not guest RAM.
bool gather(DmaMemory& memory, const std::vector<VirtqBuffer>& buffers, uint64_t offset, void* out, uint64_t len);
// Scatters `len` bytes to `offset` in the buffers' concatenation; false as gather.
bool scatter(DmaMemory& memory, const std::vector<VirtqBuffer>& buffers, uint64_t offset, const void* data,
             uint64_t len);

class Virtqueue {
public:
    static constexpr uint16_t kDescNext = 1, kDescWrite = 2, kDescIndirect = 4;
    static constexpr uint16_t kAvailNoInterrupt = 1;

    // Configuration, set through the transport while the queue is not ready.
    uint16_t max_size = 0;  // 0: the queue does not exist
    uint16_t size = 0;
    bool ready = false;
    uint64_t desc_addr = 0, avail_addr = 0, used_addr = 0;
    bool indirect = false;  // VIRTIO_RING_F_INDIRECT_DESC was negotiated
    // An input queue's chain taken from the driver and not yet filled (VirtioMmio::input_buffer).
    std::optional<VirtqElement> held_input;

    // Back to the state after a device reset (not ready, empty rings).
    void reset();

    enum class Pop { kEmpty, kElement, kError };
    // Takes the next chain the driver made available into `out`. kError describes the driver's
    // mistake in `error`; the queue is then unusable until reset.
    Pop pop(DmaMemory& memory, VirtqElement& out, std::string& error);
    // Returns `element` to the driver with `written` bytes written to its writable buffers.
    bool push(DmaMemory& memory, const VirtqElement& element, uint32_t written, std::string& error);
    // Whether the driver asked for an interrupt when buffers are used (it may suppress them).
    bool wants_interrupt(DmaMemory& memory) const;

private:
    bool add_descriptor(DmaMemory& memory, uint64_t table, uint32_t count, uint16_t index, bool in_indirect,
                        VirtqElement& out, uint32_t& walked, std::string& error);

    uint16_t last_avail_ = 0;  // the next available entry the device takes
    uint16_t used_idx_ = 0;
};

}  // namespace mimic::devices
