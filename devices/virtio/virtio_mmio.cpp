// The virtio-mmio transport's registers. Everything, the device's queues included, is under one
// lock: a register write from a vCPU and a device thread delivering input never interleave.
#include "devices/virtio/virtio_mmio.h"

#include <bit>
#include <cstring>

#include "devices/device_log.h"

namespace mimic::devices {

namespace {

enum Reg : uint64_t {
    kMagicValue = 0x000,
    kVersion = 0x004,
    kDeviceId = 0x008,
    kVendorId = 0x00c,
    kDeviceFeatures = 0x010,
    kDeviceFeaturesSel = 0x014,
    kDriverFeatures = 0x020,
    kDriverFeaturesSel = 0x024,
    kGuestPageSize = 0x028,  // legacy
    kQueueSel = 0x030,
    kQueueNumMax = 0x034,
    kQueueNum = 0x038,
    kQueueAlign = 0x03c,  // legacy
    kQueuePfn = 0x040,    // legacy
    kQueueReady = 0x044,
    kQueueNotify = 0x050,
    kInterruptStatus = 0x060,
    kInterruptAck = 0x064,
    kStatus = 0x070,
    kQueueDescLow = 0x080,
    kQueueDescHigh = 0x084,
    kQueueDriverLow = 0x090,
    kQueueDriverHigh = 0x094,
    kQueueDeviceLow = 0x0a0,
    kQueueDeviceHigh = 0x0a4,
    kShmSel = 0x0ac,
    kShmLenLow = 0x0b0,
    kShmLenHigh = 0x0b4,
    kShmBaseLow = 0x0b8,
    kShmBaseHigh = 0x0bc,
    kConfigGeneration = 0x0fc,
};

void set_low(uint64_t& field, uint32_t value) {
    field = (field & ~uint64_t(0xffffffff)) | value;
}

void set_high(uint64_t& field, uint32_t value) {
    field = (field & 0xffffffff) | uint64_t(value) << 32;
}

}  // namespace

VirtioMmio::VirtioMmio(std::string name, VirtioDevice* device, DmaMemory& memory, IrqLine irq, bool legacy, Log* log)
    : name_(std::move(name)), device_(device), memory_(memory), irq_(irq), legacy_(legacy), log_(log) {
    if (device_) {
        queues_.resize(device_->queue_count());
        legacy_queues_.resize(queues_.size());
        for (Virtqueue& q : queues_) {
            q.max_size = device_->queue_max_size();
            q.reset();
        }
        device_->plugged(*this);
    }
}

VirtioMmio::~VirtioMmio() {
    if (device_) device_->unplugged();
}

bool VirtioMmio::guest_error(const char* what, uint64_t offset) {
    if (log_enabled(log_, kLogGuestErrors))
        log_->printf("%s: %s at offset 0x%llx\n", name_.c_str(), what, (unsigned long long)offset);
    return false;
}

uint64_t VirtioMmio::offered_features() const {
    if (!device_) return 0;
    uint64_t f = device_->device_features() | uint64_t(1) << kVirtioFRingIndirectDesc;
    if (!legacy_) f |= uint64_t(1) << kVirtioFVersion1;
    return f;
}

Virtqueue* VirtioMmio::selected_queue() {
    return queue_sel_ < queues_.size() ? &queues_[queue_sel_] : nullptr;
}

uint64_t VirtioMmio::read(uint64_t offset, unsigned size) {
    std::lock_guard lock(mutex_);
    if (offset >= kConfigOffset) {
        if (!device_) return 0;
        const std::vector<uint8_t> config = device_->config();
        uint64_t value = 0;
        const uint64_t at = offset - kConfigOffset;
        if (at < config.size()) std::memcpy(&value, config.data() + at, std::min<uint64_t>(size, config.size() - at));
        return value;
    }
    if (size != 4) {
        guest_error("register access not 32 bits wide", offset);
        return 0;
    }
    return read_register(offset);
}

uint32_t VirtioMmio::read_register(uint64_t offset) {
    Virtqueue* q = selected_queue();
    switch (offset) {
        case kMagicValue: return kMagic;
        case kVersion: return legacy_ ? 1 : 2;
        case kDeviceId: return device_ ? device_->device_id() : 0;
        case kVendorId: return kVendorQemu;
        case kDeviceFeatures:
            return device_features_sel_ < 2 ? uint32_t(offered_features() >> (32 * device_features_sel_)) : 0;
        case kQueueNumMax: return q ? q->max_size : 0;
        case kQueuePfn:
            if (legacy_) return q ? legacy_queues_[queue_sel_].pfn : 0;
            break;
        case kQueueReady:
            if (!legacy_) return q && q->ready;
            break;
        case kInterruptStatus: return interrupt_status_;
        case kStatus: return status_;
        case kShmLenLow:
        case kShmLenHigh: return ~uint32_t(0);  // no shared memory regions
        case kShmBaseLow:
        case kShmBaseHigh: return ~uint32_t(0);
        case kConfigGeneration: return config_generation_;
        default: break;
    }
    guest_error("read of a write-only or missing register", offset);
    return 0;
}

void VirtioMmio::write(uint64_t offset, unsigned size, uint64_t value) {
    bool input_possible = false;
    {
        std::lock_guard lock(mutex_);
        if (offset >= kConfigOffset) {
            if (!device_) return;
            uint8_t data[8];
            std::memcpy(data, &value, sizeof data);
            device_->write_config(uint32_t(offset - kConfigOffset), data, size);
            return;
        }
        if (size != 4) {
            guest_error("register access not 32 bits wide", offset);
            return;
        }
        input_possible = write_register(offset, uint32_t(value));
    }
    if (input_possible) device_->input_possible();
}

bool VirtioMmio::write_register(uint64_t offset, uint32_t value) {
    Virtqueue* q = selected_queue();
    // A queue's layout may change only while the queue is not in use: not ready (version 2), or
    // without a page number (version 1).
    const bool queue_writable = q && !q->ready;
    switch (offset) {
        case kDeviceFeaturesSel: device_features_sel_ = value; return false;
        case kDriverFeatures:
            if (status_ & kFeaturesOk) return guest_error("features written after FEATURES_OK", offset);
            if (driver_features_sel_ == 0) set_low(driver_features_, value);
            if (driver_features_sel_ == 1) set_high(driver_features_, value);
            return false;
        case kDriverFeaturesSel: driver_features_sel_ = value; return false;
        case kQueueSel: queue_sel_ = value; return false;
        case kQueueNum:
            if (!queue_writable) return guest_error("queue size written for a missing or ready queue", offset);
            if (value == 0 || value > q->max_size || !std::has_single_bit(value))
                return guest_error("queue size not a power of 2 up to QueueNumMax", offset);
            q->size = uint16_t(value);
            return false;
        case kQueueReady:
            if (legacy_ || !q) break;
            if (value & 1) {
                q->indirect = has_feature(kVirtioFRingIndirectDesc);
                q->ready = true;
            } else {
                q->ready = false;
            }
            return false;
        case kQueueDescLow:
        case kQueueDescHigh:
        case kQueueDriverLow:
        case kQueueDriverHigh:
        case kQueueDeviceLow:
        case kQueueDeviceHigh: {
            if (legacy_) break;
            if (!queue_writable) return guest_error("queue address written for a missing or ready queue", offset);
            uint64_t& field = offset < kQueueDriverLow   ? q->desc_addr
                              : offset < kQueueDeviceLow ? q->avail_addr
                                                         : q->used_addr;
            if (offset & 4)
                set_high(field, value);
            else
                set_low(field, value);
            return false;
        }
        case kGuestPageSize:
            if (!legacy_) break;
            if (value == 0 || !std::has_single_bit(value)) return guest_error("page size not a power of 2", offset);
            guest_page_size_ = value;
            return false;
        case kQueueAlign:
            if (!legacy_) break;
            if (!queue_writable || value == 0 || !std::has_single_bit(value))
                return guest_error("queue alignment not a power of 2, or for a missing or ready queue", offset);
            legacy_queues_[queue_sel_].align = value;
            return false;
        case kQueuePfn:
            if (!legacy_) break;
            if (!q) return guest_error("page number for a missing queue", offset);
            set_legacy_pfn(*q, value);
            return false;
        case kQueueNotify:
            if (value >= queues_.size()) return guest_error("notify for a missing queue", offset);
            if (queues_[value].ready && !(status_ & kNeedsReset)) device_->queue_notify(value);
            return true;
        case kInterruptAck:
            interrupt_status_ &= ~value;
            if (interrupt_status_ == 0) irq_.lower();
            return false;
        case kStatus: return write_status(value);
        case kShmSel: return false;
        default: break;
    }
    guest_error("write to a read-only or missing register", offset);
    return false;
}

// Version 1 places a queue's three parts one after the other from a page number: descriptors,
// the available ring, then the used ring at the next multiple of QueueAlign.
void VirtioMmio::set_legacy_pfn(Virtqueue& q, uint32_t pfn) {
    LegacyQueue& l = legacy_queues_[queue_sel_];
    l.pfn = pfn;
    if (pfn == 0) {
        const uint16_t size = q.size;
        q.reset();
        q.size = size;
        return;
    }
    q.desc_addr = uint64_t(pfn) * guest_page_size_;
    q.avail_addr = q.desc_addr + 16 * uint64_t(q.size);
    const uint64_t avail_end = q.avail_addr + 6 + 2 * uint64_t(q.size);
    q.used_addr = (avail_end + l.align - 1) & ~(uint64_t(l.align) - 1);
    q.indirect = has_feature(kVirtioFRingIndirectDesc);
    q.ready = true;
}

bool VirtioMmio::write_status(uint32_t value) {
    if (value == 0) {
        reset_locked();
        return false;
    }
    if (!device_) return false;
    const uint32_t added = value & ~status_;
    if (added & kFeaturesOk) {
        // Version 2 drivers must take VERSION_1 and nothing the device did not offer.
        const bool ok = !(driver_features_ & ~offered_features()) && (legacy_ || has_feature(kVirtioFVersion1));
        if (!ok) {
            guest_error("features the device did not offer (FEATURES_OK refused)", kStatus);
            value &= ~kFeaturesOk;
        }
    }
    status_ = (value & ~kNeedsReset) | (status_ & kNeedsReset);
    return (added & kDriverOk) && !(status_ & kNeedsReset);
}

void VirtioMmio::reset() {
    std::lock_guard lock(mutex_);
    reset_locked();
}

void VirtioMmio::reset_locked() {
    for (Virtqueue& q : queues_) q.reset();
    for (LegacyQueue& l : legacy_queues_) l = {};
    status_ = 0;
    driver_features_ = 0;
    device_features_sel_ = driver_features_sel_ = queue_sel_ = 0;
    if (interrupt_status_) irq_.lower();
    interrupt_status_ = 0;
}

void VirtioMmio::raise(uint32_t bits) {
    const bool was = interrupt_status_ != 0;
    interrupt_status_ |= bits;
    if (!was) irq_.raise();
}

void VirtioMmio::notify_used(unsigned index) {
    if (queues_[index].wants_interrupt(memory_)) raise(kUsedBuffer);
}

const VirtqElement* VirtioMmio::input_buffer(unsigned index) {
    Virtqueue& q = queues_[index];
    if (!q.held_input) {
        VirtqElement element;
        std::string error;
        const Virtqueue::Pop got = q.pop(memory_, element, error);
        if (got == Virtqueue::Pop::kError) fail(error);
        if (got != Virtqueue::Pop::kElement) return nullptr;
        if (element.writable_bytes() == 0) {
            fail("an input buffer with no room");
            return nullptr;
        }
        q.held_input = std::move(element);
    }
    return &*q.held_input;
}

void VirtioMmio::complete_input(unsigned index, std::initializer_list<std::span<const uint8_t>> parts) {
    Virtqueue& q = queues_[index];
    const VirtqElement element = std::move(*q.held_input);
    q.held_input.reset();
    uint64_t written = 0;
    std::string error;
    for (std::span<const uint8_t> part : parts) {
        if (!scatter(memory_, element.writable, written, part.data(), part.size()))
            return fail("an input buffer outside guest RAM");
        written += part.size();
    }
    if (!q.push(memory_, element, uint32_t(written), error)) return fail(error);
    notify_used(index);
}

void VirtioMmio::config_changed() {
    ++config_generation_;
    raise(kConfigChange);
}

void VirtioMmio::fail(const std::string& what) {
    if (log_enabled(log_, kLogGuestErrors))
        log_->printf("%s: %s: %s; the device needs a reset\n", name_.c_str(), device_ ? device_->name() : "",
                     what.c_str());
    if (status_ & kNeedsReset) return;
    status_ |= kNeedsReset;
    if (status_ & kDriverOk) config_changed();
}

}  // namespace mimic::devices
