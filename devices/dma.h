// How a device reaches guest memory on its own (virtqueues, buffers): by guest physical address,
// RAM only. The machine's PhysicalMemory implements it; the device tests use a plain buffer.
#pragma once

#include <cstdint>

namespace mimic::devices {

class DmaMemory {
public:
    virtual ~DmaMemory() = default;
    // False unless all of [paddr, paddr+len) is guest RAM (never ROM or MMIO): the device then
    // treats the guest's address as bad. A write drops translated code from the pages it touches.
    // Callable from any thread.
    virtual bool dma_read(uint64_t paddr, void* out, uint64_t len) = 0;
    virtual bool dma_write(uint64_t paddr, const void* data, uint64_t len) = 0;
};

}  // namespace mimic::devices
