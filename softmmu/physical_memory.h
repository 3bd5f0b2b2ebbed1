// The guest physical address space of a machine: RAM, ROM and MMIO regions, host-side access for
// loaders and page walkers, and tracking of the physical pages translated code came from.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "devices/device.h"
#include "devices/dma.h"
#include "softmmu/memory_port.h"

namespace mimic {
class Log;
}

namespace mimic::softmmu {

struct SoftTlb;

enum class RegionKind : uint8_t { kRam, kRom, kMmio };

struct Region {
    std::string name;
    uint64_t base = 0;
    uint64_t size = 0;
    RegionKind kind = RegionKind::kRam;
    uint8_t* host = nullptr;                       // RAM and ROM
    devices::MmioDevice* device = nullptr;         // MMIO
    std::unique_ptr<std::atomic<uint8_t>[]> code;  // RAM and ROM: per page, translated code came from it

    bool contains(uint64_t paddr, uint64_t len = 1) const {
        return paddr >= base && len <= size && paddr - base <= size - len;
    }
};

class PhysicalMemory final : public CodePageTracker, public devices::DmaMemory {
public:
    explicit PhysicalMemory(Log* log = nullptr) : log_(log) {}
    ~PhysicalMemory() override;
    PhysicalMemory(const PhysicalMemory&) = delete;
    PhysicalMemory& operator=(const PhysicalMemory&) = delete;

    // Regions may not overlap (std::invalid_argument). RAM and ROM read as zero until written.
    uint8_t* add_ram(std::string name, uint64_t base, uint64_t size);
    uint8_t* add_rom(std::string name, uint64_t base, uint64_t size);
    void add_mmio(std::string name, uint64_t base, uint64_t size, devices::MmioDevice& device);
    // A device laid over part of RAM or ROM (spike's HTIF sits on the program's tohost symbol):
    // it takes precedence there, and the pages it touches are always accessed through the port.
    void add_mmio_overlay(std::string name, uint64_t base, uint64_t size, devices::MmioDevice& device);
    bool page_has_overlay(uint64_t page_index) const;

    // The region holding paddr, or nullptr (regions never move once added).
    const Region* find(uint64_t paddr) const;
    const std::vector<std::unique_ptr<Region>>& regions() const { return regions_; }

    // Host-side access to RAM and ROM (loaders, devices, page walkers): false unless the whole
    // range is backed by one region. Writes drop translated code from the pages they touch and
    // may fill ROM (loading firmware).
    bool read(uint64_t paddr, void* out, uint64_t len) const;
    bool write(uint64_t paddr, const void* data, uint64_t len);
    // Host pointer to [paddr, paddr+len) in RAM, or nullptr.
    uint8_t* ram_pointer(uint64_t paddr, uint64_t len) const;
    // Devices' own accesses: RAM only.
    bool dma_read(uint64_t paddr, void* out, uint64_t len) override;
    bool dma_write(uint64_t paddr, const void* data, uint64_t len) override;

    // MMIO with the bus's rules: the device's declared sizes, natural alignment. False (and a
    // -d guest_errors line) for an access the device does not accept.
    bool mmio_read(const Region& region, uint64_t paddr, unsigned size, uint64_t* value);
    bool mmio_write(const Region& region, uint64_t paddr, unsigned size, uint64_t value);

    // Translated code: by physical page index.
    void set_code_page(uint64_t page_index, bool has_code) override;
    void set_code_observer(CodeObserver* observer) override { observer_ = observer; }
    bool is_code_page(uint64_t page_index) const;
    // A guest store is about to change [paddr, paddr+len): invalidate the code translated from it.
    void notify_code_write(uint64_t paddr, uint64_t len);

    // The vCPUs' TLBs: a page that gains translated code loses their fast-path stores.
    void register_tlb(SoftTlb* tlb);
    void unregister_tlb(SoftTlb* tlb);

    Log* log() const { return log_; }

private:
    Region& add(std::string name, uint64_t base, uint64_t size, RegionKind kind);
    uint8_t* add_backed(std::string name, uint64_t base, uint64_t size, RegionKind kind);
    std::atomic<uint8_t>* code_flag(uint64_t page_index) const;
    const Region* find_backing(uint64_t paddr) const;  // ignoring overlays

    Log* log_;
    std::vector<std::unique_ptr<Region>> regions_;   // sorted by base, disjoint
    std::vector<std::unique_ptr<Region>> overlays_;  // searched first
    CodeObserver* observer_ = nullptr;
    std::mutex tlbs_mutex_;
    std::vector<SoftTlb*> tlbs_;
};

}  // namespace mimic::softmmu
