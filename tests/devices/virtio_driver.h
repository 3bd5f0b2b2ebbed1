// A guest's side of virtio-mmio for the device tests: RAM the devices reach by DMA, and a driver
// that negotiates features, lays out split virtqueues (version 2 or legacy) and submits chains.
#pragma once

#include <cstring>
#include <utility>
#include <vector>

#include "devices/dma.h"
#include "devices/virtio/virtio_mmio.h"

namespace mimic::devices::test {

class GuestRam final : public DmaMemory {
public:
    static constexpr uint64_t kBase = 0x80000000, kSize = 1 << 20;

    bool dma_read(uint64_t paddr, void* out, uint64_t len) override {
        if (!contains(paddr, len)) return false;
        std::memcpy(out, bytes_.data() + (paddr - kBase), len);
        return true;
    }
    bool dma_write(uint64_t paddr, const void* data, uint64_t len) override {
        if (!contains(paddr, len)) return false;
        std::memcpy(bytes_.data() + (paddr - kBase), data, len);
        return true;
    }
    template <typename T>
    void put(uint64_t addr, T value) {
        REQUIRE(dma_write(addr, &value, sizeof value));
    }
    template <typename T>
    T get(uint64_t addr) {
        T value{};
        REQUIRE(dma_read(addr, &value, sizeof value));
        return value;
    }
    void put_bytes(uint64_t addr, const std::vector<uint8_t>& data) {
        REQUIRE(dma_write(addr, data.data(), data.size()));
    }
    std::vector<uint8_t> get_bytes(uint64_t addr, size_t len) {
        std::vector<uint8_t> out(len);
        REQUIRE(dma_read(addr, out.data(), len));
        return out;
    }

private:
    bool contains(uint64_t paddr, uint64_t len) const {
        return paddr >= kBase && len <= kSize && paddr - kBase <= kSize - len;
    }
    std::vector<uint8_t> bytes_ = std::vector<uint8_t>(kSize);
};

// One buffer of a chain: guest address, length, whether the device writes it.
struct Buf {
    uint64_t addr;
    uint32_t len;
    bool device_writes;
};

class VirtioDriver {
public:
    static constexpr uint16_t kQueueSize = 8;
    static constexpr uint64_t kData = GuestRam::kBase + 0x80000;  // free for the tests' buffers

    VirtioDriver(GuestRam& ram, VirtioMmio& transport, bool legacy) : ram_(ram), t_(transport), legacy_(legacy) {}

    uint32_t reg(uint64_t offset) { return uint32_t(t_.read(offset, 4)); }
    void set(uint64_t offset, uint32_t value) { t_.write(offset, 4, value); }

    uint64_t device_features() {
        set(0x14, 0);
        uint64_t f = reg(0x10);
        set(0x14, 1);
        return f | uint64_t(reg(0x10)) << 32;
    }

    // The driver's start-up (virtio 1.2, 3.1.1); false if the device refused FEATURES_OK.
    bool start(uint64_t features, unsigned queues) {
        set(0x70, 0);
        set(0x70, VirtioMmio::kAcknowledge | VirtioMmio::kDriver);
        set(0x24, 0);
        set(0x20, uint32_t(features));
        set(0x24, 1);
        set(0x20, uint32_t(features >> 32));
        if (!legacy_) {
            set(0x70, VirtioMmio::kAcknowledge | VirtioMmio::kDriver | VirtioMmio::kFeaturesOk);
            if (!(reg(0x70) & VirtioMmio::kFeaturesOk)) return false;
        } else {
            set(0x28, 4096);
        }
        for (unsigned q = 0; q < queues; ++q) setup_queue(q);
        set(0x70, reg(0x70) | VirtioMmio::kDriverOk);
        return true;
    }

    uint64_t desc(unsigned q) const { return GuestRam::kBase + 0x10000 * (q + 1); }
    uint64_t avail(unsigned q) const { return legacy_ ? desc(q) + 16 * kQueueSize : desc(q) + 0x1000; }
    uint64_t used(unsigned q) const { return desc(q) + 0x2000; }

    void setup_queue(unsigned q) {
        set(0x30, q);
        REQUIRE(reg(0x34) >= kQueueSize);
        set(0x38, kQueueSize);
        if (legacy_) {
            set(0x3c, 0x2000);  // the used ring at desc + 0x2000
            set(0x40, uint32_t(desc(q) / 4096));
        } else {
            set(0x80, uint32_t(desc(q)));
            set(0x84, uint32_t(desc(q) >> 32));
            set(0x90, uint32_t(avail(q)));
            set(0x94, uint32_t(avail(q) >> 32));
            set(0xa0, uint32_t(used(q)));
            set(0xa4, uint32_t(used(q) >> 32));
            set(0x44, 1);
        }
    }

    // Writes a chain of descriptors and makes it available, without notifying; returns its head.
    uint16_t add(unsigned q, const std::vector<Buf>& chain) {
        const uint16_t head = next_desc_[q];
        for (size_t i = 0; i < chain.size(); ++i) {
            const uint16_t index = uint16_t((head + i) % kQueueSize);
            const uint16_t flags = uint16_t((i + 1 < chain.size() ? 1 : 0) | (chain[i].device_writes ? 2 : 0));
            write_desc(q, index, chain[i].addr, chain[i].len, flags, uint16_t((index + 1) % kQueueSize));
        }
        next_desc_[q] = uint16_t((head + chain.size()) % kQueueSize);
        publish(q, head);
        return head;
    }
    void write_desc(unsigned q, uint16_t index, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next) {
        const uint64_t d = desc(q) + 16 * uint64_t(index);
        ram_.put<uint64_t>(d, addr);
        ram_.put<uint32_t>(d + 8, len);
        ram_.put<uint16_t>(d + 12, flags);
        ram_.put<uint16_t>(d + 14, next);
    }
    void publish(unsigned q, uint16_t head) {
        ram_.put<uint16_t>(avail(q) + 4 + 2 * (avail_idx_[q] % kQueueSize), head);
        ram_.put<uint16_t>(avail(q) + 2, ++avail_idx_[q]);
    }
    void notify(unsigned q) { set(0x50, q); }
    uint16_t submit(unsigned q, const std::vector<Buf>& chain) {
        const uint16_t head = add(q, chain);
        notify(q);
        return head;
    }

    uint16_t used_idx(unsigned q) { return ram_.get<uint16_t>(used(q) + 2); }
    // The i-th used entry: the chain's head and the bytes written.
    std::pair<uint32_t, uint32_t> used_entry(unsigned q, uint16_t i) {
        const uint64_t e = used(q) + 4 + 8 * (i % kQueueSize);
        return {ram_.get<uint32_t>(e), ram_.get<uint32_t>(e + 4)};
    }

private:
    GuestRam& ram_;
    VirtioMmio& t_;
    bool legacy_;
    uint16_t next_desc_[4] = {};
    uint16_t avail_idx_[4] = {};
};

}  // namespace mimic::devices::test
