// HTIF model. QEMU 7.2 (checked by running it) answers a console write in fromhost with
// (device, command, 0x100 | byte), logs the proxied-syscall form of device 0 as unimplemented
// and leaves fromhost at 0, and exits for device 0 command 0 with payload bit 0 set. Unlike QEMU
// it queues answers while fromhost is still busy, as spike does, so input is never overwritten.
#include "devices/htif/htif.h"

#include "devices/device_log.h"

namespace mimic::devices {

namespace {

constexpr uint64_t kPayloadMask = (uint64_t(1) << 48) - 1;
constexpr unsigned kDeviceSystem = 0;
constexpr unsigned kDeviceConsole = 1;
constexpr unsigned kConsoleGetChar = 0;
constexpr unsigned kConsolePutChar = 1;

}  // namespace

Htif::Htif(CharBackend* console, MachineControl* control, uint64_t tohost_offset, uint64_t fromhost_offset, Log* log)
    : console_(console),
      control_(control),
      tohost_offset_(tohost_offset),
      fromhost_offset_(fromhost_offset),
      log_(log) {
    if (console_) console_->attach(this);
}

Htif::~Htif() {
    if (console_) console_->attach(nullptr);
}

void Htif::guest_error(const char* what, uint64_t offset, uint64_t value) {
    if (log_enabled(log_, kLogGuestErrors))
        log_->printf("htif: %s at offset 0x%llx (value 0x%llx)\n", what, (unsigned long long)offset,
                     (unsigned long long)value);
}

void Htif::respond_locked(uint64_t response) {
    if (responses_.size() < kMaxQueuedResponses) responses_.push_back(response);
    deliver_locked();
}

void Htif::deliver_locked() {
    if (fromhost_ != 0 || responses_.empty()) return;
    fromhost_ = responses_.front();
    responses_.pop_front();
}

void Htif::command_locked(uint64_t cmd, Effects& fx) {
    tohost_ = 0;  // taken: the guest may write the next command
    const unsigned device = unsigned(cmd >> 56);
    const unsigned command = unsigned(cmd >> 48) & 0xff;
    const uint64_t payload = cmd & kPayloadMask;
    const uint64_t header = cmd & ~kPayloadMask;
    if (device == kDeviceSystem && command == 0) {
        if (payload & 1) {
            fx.poweroff = true;
            fx.exit_status = int(payload >> 1);
        } else if (log_enabled(log_, kLogUnimp)) {
            log_->printf("htif: proxied system call at 0x%llx not supported\n", (unsigned long long)payload);
        }
        return;
    }
    if (device == kDeviceConsole && command == kConsoleGetChar) {
        read_pending_ = true;
        fx.want_input = true;
        return;
    }
    if (device == kDeviceConsole && command == kConsolePutChar) {
        fx.output = true;
        fx.byte = uint8_t(payload);
        respond_locked(header | 0x100 | fx.byte);
        return;
    }
    guest_error("unknown device or command", tohost_offset_, cmd);
    respond_locked(header);
}

uint32_t Htif::read32_locked(uint64_t offset) {
    if (offset == tohost_offset_) return uint32_t(tohost_);
    if (offset == tohost_offset_ + 4) return uint32_t(tohost_ >> 32);
    if (offset == fromhost_offset_) return uint32_t(fromhost_);
    if (offset == fromhost_offset_ + 4) return uint32_t(fromhost_ >> 32);
    guest_error("read outside tohost and fromhost", offset, 0);
    return 0;
}

void Htif::write32_locked(uint64_t offset, uint32_t value, Effects& fx) {
    if (offset == tohost_offset_) {
        // A command still in tohost is not overwritten (QEMU's rule; commands complete at once).
        tohost_low_accepted_ = tohost_ == 0;
        if (tohost_low_accepted_) tohost_ = value;
    } else if (offset == tohost_offset_ + 4) {
        if (!tohost_low_accepted_) return;
        tohost_low_accepted_ = false;
        command_locked(tohost_ | uint64_t(value) << 32, fx);
    } else if (offset == fromhost_offset_) {
        fromhost_ = value;
        deliver_locked();
        fx.want_input = read_pending_;
    } else if (offset == fromhost_offset_ + 4) {
        fromhost_ |= uint64_t(value) << 32;
        deliver_locked();
        fx.want_input = read_pending_;
    } else {
        guest_error("write outside tohost and fromhost", offset, value);
    }
}

uint64_t Htif::read(uint64_t offset, unsigned size) {
    std::lock_guard lock(mutex_);
    if (size == 8) return read32_locked(offset) | uint64_t(read32_locked(offset + 4)) << 32;
    return read32_locked(offset);
}

void Htif::write(uint64_t offset, unsigned size, uint64_t value) {
    std::lock_guard tx_lock(tx_mutex_);
    Effects fx;
    {
        std::lock_guard lock(mutex_);
        write32_locked(offset, uint32_t(value), fx);
        if (size == 8) write32_locked(offset + 4, uint32_t(value >> 32), fx);
    }
    if (fx.output && console_) console_->write(&fx.byte, 1);
    if (fx.want_input && console_) console_->accept_input();
    if (fx.poweroff && control_) control_->request_poweroff(fx.exit_status);
}

size_t Htif::can_receive() {
    std::lock_guard lock(mutex_);
    return read_pending_ && responses_.size() < kMaxQueuedResponses ? 1 : 0;
}

void Htif::receive(const uint8_t* data, size_t size) {
    std::lock_guard lock(mutex_);
    if (size == 0 || !read_pending_) return;
    read_pending_ = false;
    respond_locked(uint64_t(kDeviceConsole) << 56 | uint64_t(kConsoleGetChar) << 48 | 0x100 | data[0]);
}

}  // namespace mimic::devices
