// The physical address space: region lookup, host-side access, the bus rules of MMIO, and code
// page tracking.
#include "softmmu/physical_memory.h"

#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cinttypes>
#include <cstring>
#include <stdexcept>

#include "engine/log.h"
#include "softmmu/tlb.h"

namespace mimic::softmmu {

PhysicalMemory::~PhysicalMemory() {
    for (auto& r : regions_)
        if (r->host) ::munmap(r->host, r->size);
}

Region& PhysicalMemory::add(std::string name, uint64_t base, uint64_t size, RegionKind kind) {
    if (size == 0 || base + size < base) throw std::invalid_argument("region " + name + ": bad size");
    for (const auto& r : regions_)
        if (base < r->base + r->size && r->base < base + size)
            throw std::invalid_argument("region " + name + " overlaps " + r->name);
    auto region = std::make_unique<Region>();
    region->name = std::move(name);
    region->base = base;
    region->size = size;
    region->kind = kind;
    Region& ref = *region;
    regions_.push_back(std::move(region));
    std::sort(regions_.begin(), regions_.end(), [](const auto& a, const auto& b) { return a->base < b->base; });
    return ref;
}

uint8_t* PhysicalMemory::add_backed(std::string name, uint64_t base, uint64_t size, RegionKind kind) {
    if ((base | size) & (kGuestPageSize - 1)) throw std::invalid_argument("region " + name + ": not page-aligned");
    Region& r = add(std::move(name), base, size, kind);
    void* host = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (host == MAP_FAILED)
        throw std::runtime_error("cannot allocate " + std::to_string(size >> 20) + " MiB of guest memory");
    r.host = static_cast<uint8_t*>(host);
    r.code = std::make_unique<std::atomic<uint8_t>[]>(size >> kGuestPageBits);
    return r.host;
}

uint8_t* PhysicalMemory::add_ram(std::string name, uint64_t base, uint64_t size) {
    return add_backed(std::move(name), base, size, RegionKind::kRam);
}

uint8_t* PhysicalMemory::add_rom(std::string name, uint64_t base, uint64_t size) {
    return add_backed(std::move(name), base, size, RegionKind::kRom);
}

void PhysicalMemory::add_mmio(std::string name, uint64_t base, uint64_t size, devices::MmioDevice& device) {
    add(std::move(name), base, size, RegionKind::kMmio).device = &device;
}

void PhysicalMemory::add_mmio_overlay(std::string name, uint64_t base, uint64_t size, devices::MmioDevice& device) {
    auto region = std::make_unique<Region>();
    region->name = std::move(name);
    region->base = base;
    region->size = size;
    region->kind = RegionKind::kMmio;
    region->device = &device;
    overlays_.push_back(std::move(region));
}

bool PhysicalMemory::page_has_overlay(uint64_t page_index) const {
    const uint64_t start = page_index << kGuestPageBits;
    for (const auto& o : overlays_)
        if (o->base < start + kGuestPageSize && start < o->base + o->size) return true;
    return false;
}

const Region* PhysicalMemory::find(uint64_t paddr) const {
    for (const auto& o : overlays_)
        if (o->contains(paddr)) return o.get();
    return find_backing(paddr);
}

const Region* PhysicalMemory::find_backing(uint64_t paddr) const {
    auto it = std::upper_bound(regions_.begin(), regions_.end(), paddr,
                               [](uint64_t a, const auto& r) { return a < r->base; });
    if (it == regions_.begin()) return nullptr;
    const Region* r = (--it)->get();
    return r->contains(paddr) ? r : nullptr;
}

bool PhysicalMemory::read(uint64_t paddr, void* out, uint64_t len) const {
    const Region* r = find_backing(paddr);
    if (!r || !r->host || !r->contains(paddr, len)) return false;
    std::memcpy(out, r->host + (paddr - r->base), len);
    return true;
}

bool PhysicalMemory::write(uint64_t paddr, const void* data, uint64_t len) {
    const Region* r = find_backing(paddr);
    if (!r || !r->host || !r->contains(paddr, len)) return false;
    notify_code_write(paddr, len);
    std::memcpy(r->host + (paddr - r->base), data, len);
    return true;
}

uint8_t* PhysicalMemory::ram_pointer(uint64_t paddr, uint64_t len) const {
    const Region* r = find_backing(paddr);
    if (!r || r->kind != RegionKind::kRam || !r->contains(paddr, len)) return nullptr;
    return r->host + (paddr - r->base);
}

bool PhysicalMemory::dma_read(uint64_t paddr, void* out, uint64_t len) {
    const uint8_t* host = ram_pointer(paddr, len);
    if (!host) return false;
    std::memcpy(out, host, len);
    return true;
}

bool PhysicalMemory::dma_write(uint64_t paddr, const void* data, uint64_t len) {
    uint8_t* host = ram_pointer(paddr, len);
    if (!host) return false;
    notify_code_write(paddr, len);
    std::memcpy(host, data, len);
    return true;
}

namespace {
bool bus_allows(const Region& region, uint64_t paddr, unsigned size) {
    return std::has_single_bit(size) && (region.device->access_sizes() & size) && !(paddr & (size - 1)) &&
           region.contains(paddr, size);
}
}  // namespace

bool PhysicalMemory::mmio_read(const Region& region, uint64_t paddr, unsigned size, uint64_t* value) {
    if (!bus_allows(region, paddr, size)) {
        if (log_ && log_->enabled(kLogGuestErrors))
            log_->printf("guest_errors: %u-byte read of %s at 0x%" PRIx64 ": not an access size it accepts\n", size,
                         region.name.c_str(), paddr);
        return false;
    }
    *value = region.device->read(paddr - region.base, size);
    return true;
}

bool PhysicalMemory::mmio_write(const Region& region, uint64_t paddr, unsigned size, uint64_t value) {
    if (!bus_allows(region, paddr, size)) {
        if (log_ && log_->enabled(kLogGuestErrors))
            log_->printf("guest_errors: %u-byte write of %s at 0x%" PRIx64 ": not an access size it accepts\n", size,
                         region.name.c_str(), paddr);
        return false;
    }
    region.device->write(paddr - region.base, size, value);
    return true;
}

std::atomic<uint8_t>* PhysicalMemory::code_flag(uint64_t page_index) const {
    const Region* r = find_backing(page_index << kGuestPageBits);
    if (!r || !r->code) return nullptr;
    return &r->code[((page_index << kGuestPageBits) - r->base) >> kGuestPageBits];
}

bool PhysicalMemory::is_code_page(uint64_t page_index) const {
    const auto* flag = code_flag(page_index);
    return flag && flag->load(std::memory_order_seq_cst);
}

void PhysicalMemory::set_code_page(uint64_t page_index, bool has_code) {
    auto* flag = code_flag(page_index);
    if (!flag) return;
    if (!has_code) {
        flag->store(0, std::memory_order_release);
        return;
    }
    if (flag->exchange(1, std::memory_order_seq_cst)) return;
    // The page just gained code: every TLB entry that stores to it on the fast path must now
    // take the slow path, which invalidates the code first.
    const uintptr_t host = uintptr_t(ram_pointer(page_index << kGuestPageBits, 1));
    if (!host) return;  // ROM: guest stores never reach it
    std::lock_guard lock(tlbs_mutex_);
    for (SoftTlb* tlb : tlbs_)
        for (auto& table : tlb->entries)
            for (TlbEntry& e : table) {
                const uint64_t tag = e.write.load(std::memory_order_seq_cst);
                if (!(tag & (kGuestPageSize - 1)) && tag + e.addend == host) e.write.fetch_or(kTlbSlow);
            }
}

void PhysicalMemory::notify_code_write(uint64_t paddr, uint64_t len) {
    if (!observer_ || len == 0) return;
    for (uint64_t p = paddr >> kGuestPageBits; p <= (paddr + len - 1) >> kGuestPageBits; ++p)
        if (is_code_page(p)) {
            const uint64_t start = std::max(paddr, p << kGuestPageBits);
            const uint64_t end = std::min(paddr + len, (p + 1) << kGuestPageBits);
            observer_->code_written(start, end - start);
        }
}

void PhysicalMemory::register_tlb(SoftTlb* tlb) {
    std::lock_guard lock(tlbs_mutex_);
    tlbs_.push_back(tlb);
}

void PhysicalMemory::unregister_tlb(SoftTlb* tlb) {
    std::lock_guard lock(tlbs_mutex_);
    std::erase(tlbs_, tlb);
}

}  // namespace mimic::softmmu
