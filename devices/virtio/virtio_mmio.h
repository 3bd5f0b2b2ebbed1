// The virtio-mmio transport (virtio 1.2, section 4.2): a page of registers through which the driver
// finds a device, negotiates features and sets up virtqueues, and an interrupt. Version 2 by
// default; version 1, the legacy layout Linux also drives, with `legacy` (QEMU's force-legacy).
// A slot with no device answers with device ID 0, as QEMU's empty transports on virt do.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "devices/device.h"
#include "devices/dma.h"
#include "devices/irq.h"
#include "devices/virtio/virtqueue.h"
#include "engine/log.h"

namespace mimic::devices {

class VirtioMmio;

// Feature bits the transport handles (device-specific ones are below 24).
constexpr unsigned kVirtioFRingIndirectDesc = 28;
constexpr unsigned kVirtioFVersion1 = 32;

// A virtio device (blk, net, ...) behind a transport. The transport calls it with its lock held
// (VirtioMmio::lock), and the device calls the transport back under that same lock: a device's own
// threads take it before they touch a queue.
class VirtioDevice {
public:
    virtual ~VirtioDevice() = default;
    virtual const char* name() const = 0;
    virtual uint32_t device_id() const = 0;
    virtual uint64_t device_features() const = 0;  // device-specific bits; the transport adds its own
    virtual unsigned queue_count() const = 0;
    virtual uint16_t queue_max_size() const { return 256; }
    // The configuration space, little-endian as the guest sees it. Bytes past its end read as 0.
    virtual std::vector<uint8_t> config() const = 0;
    virtual void write_config(uint32_t /*offset*/, const uint8_t* /*data*/, unsigned /*size*/) {}

    // The transport takes the device, and lets it go before it is destroyed; a device that hears
    // from a host thread (input, frames) connects to it in between.
    virtual void plugged(VirtioMmio& transport) { transport_ = &transport; }
    virtual void unplugged() { transport_ = nullptr; }
    // The driver made buffers available on queue `index`.
    virtual void queue_notify(unsigned index) = 0;
    // The driver may have given buffers for input (it notified a queue, or set DRIVER_OK). Called
    // without the transport's lock, so that a backend may deliver input at once.
    virtual void input_possible() {}

protected:
    VirtioMmio* transport_ = nullptr;
};

class VirtioMmio final : public MmioDevice {
public:
    static constexpr uint32_t kMagic = 0x74726976;       // "virt"
    static constexpr uint32_t kVendorQemu = 0x554d4551;  // "QEMU": drivers match no vendor quirks
    static constexpr uint64_t kConfigOffset = 0x100;
    enum Status : uint32_t {
        kAcknowledge = 1,
        kDriver = 2,
        kDriverOk = 4,
        kFeaturesOk = 8,
        kNeedsReset = 64,
        kFailed = 128,
    };
    enum Interrupt : uint32_t { kUsedBuffer = 1, kConfigChange = 2 };

    // `device` may be null (an empty slot); it must outlive the transport.
    VirtioMmio(std::string name, VirtioDevice* device, DmaMemory& memory, IrqLine irq, bool legacy = false,
               Log* log = nullptr);
    ~VirtioMmio() override;
    VirtioMmio(const VirtioMmio&) = delete;
    VirtioMmio& operator=(const VirtioMmio&) = delete;

    std::string_view name() const override { return name_; }
    unsigned access_sizes() const override { return kSize1 | kSize2 | kSize4 | kSize8; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;

    // The machine's reset: as if the driver had written 0 to Status. A device's own threads stop
    // writing guest memory, which is about to hold a new kernel.
    void reset();

    // For the device, with lock() held.
    std::unique_lock<std::mutex> lock() { return std::unique_lock(mutex_); }
    Virtqueue& queue(unsigned index) { return queues_[index]; }
    DmaMemory& memory() { return memory_; }
    bool has_feature(unsigned bit) const { return (driver_features_ >> bit) & 1; }
    // DRIVER_OK is set and the device has not failed: it may use its queues on its own.
    bool running() const { return (status_ & kDriverOk) && !(status_ & kNeedsReset); }
    // Buffers were used on queue `index`: interrupt, unless the driver suppressed it.
    void notify_used(unsigned index);
    // Serves every chain the driver made available on queue `index` and gives it back used, then
    // interrupts once. `serve(const VirtqElement&)` returns the bytes it wrote to the chain, or
    // nullopt for a request framed wrongly, which breaks the device as a bad chain does.
    template <typename Serve>
    void serve_queue(unsigned index, Serve&& serve);
    // Input on queue `index` (frames, keystrokes): the next chain the driver gave, kept until
    // complete_input fills it, so that a device may look at its room first. nullptr when there is
    // none, or when the ring is broken (the device then fails).
    const VirtqElement* input_buffer(unsigned index);
    // Writes `parts` one after another into the kept chain, gives it back used and interrupts.
    void complete_input(unsigned index, std::initializer_list<std::span<const uint8_t>> parts);
    void config_changed();
    // The driver broke the protocol (a bad descriptor chain, ...): logged under -d guest_errors, and
    // the device stops until the driver resets it (DEVICE_NEEDS_RESET).
    void fail(const std::string& what);
    Log* log() const { return log_; }

private:
    uint64_t offered_features() const;
    uint32_t read_register(uint64_t offset);
    // True if input may now flow (VirtioDevice::input_possible).
    bool write_register(uint64_t offset, uint32_t value);
    bool write_status(uint32_t value);
    void reset_locked();
    void set_legacy_pfn(Virtqueue& q, uint32_t pfn);
    void raise(uint32_t bits);
    bool guest_error(const char* what, uint64_t offset);  // logs; false, as a register write's result
    Virtqueue* selected_queue();

    const std::string name_;
    VirtioDevice* const device_;
    DmaMemory& memory_;
    const IrqLine irq_;
    const bool legacy_;
    Log* const log_;

    std::mutex mutex_;
    std::vector<Virtqueue> queues_;
    uint32_t status_ = 0;
    uint32_t interrupt_status_ = 0;
    uint32_t config_generation_ = 0;
    uint32_t device_features_sel_ = 0, driver_features_sel_ = 0;
    uint64_t driver_features_ = 0;
    uint32_t queue_sel_ = 0;
    // Version 1's queue layout: a page number, the used ring's alignment, the page size.
    struct LegacyQueue {
        uint32_t align = 4096;
        uint32_t pfn = 0;
    };
    std::vector<LegacyQueue> legacy_queues_;
    uint32_t guest_page_size_ = 4096;
};

template <typename Serve>
void VirtioMmio::serve_queue(unsigned index, Serve&& serve) {
    Virtqueue& q = queues_[index];
    bool used = false;
    for (;;) {
        VirtqElement element;
        std::string error;
        const Virtqueue::Pop got = q.pop(memory_, element, error);
        if (got == Virtqueue::Pop::kEmpty) break;
        std::optional<uint32_t> written;
        if (got == Virtqueue::Pop::kElement && !(written = serve(element))) error = "a request framed wrongly";
        if (!written || !q.push(memory_, element, *written, error)) {
            fail(error);
            break;
        }
        used = true;
    }
    if (used) notify_used(index);
}

}  // namespace mimic::devices
