// NS16550A register model. Transmission is instantaneous, so THR is always empty and the THRE
// interrupt is an event ("THR became empty") kept in thr_ipending_, as the 16550 defines it.
#include "devices/ns16550a/ns16550a.h"

#include "devices/device_log.h"

namespace mimic::devices {

namespace {

enum : uint8_t {
    kIerRxData = 0x01,
    kIerThre = 0x02,
    kIerLineStatus = 0x04,

    kIirNone = 0x01,
    kIirThre = 0x02,
    kIirRxData = 0x04,
    kIirLineStatus = 0x06,
    kIirRxTimeout = 0x0c,
    kIirFifoEnabled = 0xc0,

    kFcrClearRx = 0x02,
    kFcrClearTx = 0x04,

    kLcrDlab = 0x80,

    kMcrDtr = 0x01,
    kMcrRts = 0x02,
    kMcrOut1 = 0x04,
    kMcrOut2 = 0x08,
    kMcrLoop = 0x10,

    kLsrDataReady = 0x01,
    kLsrOverrun = 0x02,
    kLsrThrEmpty = 0x20,
    kLsrTxEmpty = 0x40,

    kMsrCts = 0x10,
    kMsrDsr = 0x20,
    kMsrRi = 0x40,
    kMsrDcd = 0x80,
};

enum Reg : uint64_t { kRbrThr = 0, kIer = 1, kIirFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5, kMsr = 6, kScr = 7 };

constexpr size_t kRxTrigger[4] = {1, 4, 8, 14};

}  // namespace

Ns16550a::Ns16550a(CharBackend* backend, IrqLine irq, Log* log) : backend_(backend), irq_(irq), log_(log) {
    if (backend_) backend_->attach(this);
}

Ns16550a::~Ns16550a() {
    if (backend_) backend_->attach(nullptr);
}

void Ns16550a::guest_error(const char* what, uint64_t offset, uint64_t value) {
    if (log_enabled(log_, kLogGuestErrors))
        log_->printf("ns16550a: %s at offset 0x%llx (value 0x%llx)\n", what, (unsigned long long)offset,
                     (unsigned long long)value);
}

bool Ns16550a::rx_push_locked(uint8_t byte) {
    if (rx_count_ >= rx_capacity_locked()) {
        // Without FIFO the new byte replaces the unread one; a full FIFO drops the new one.
        if (!(fcr_ & kFcrFifoEnable)) rx_[rx_head_] = byte;
        return false;
    }
    rx_[(rx_head_ + rx_count_) % kFifoSize] = byte;
    ++rx_count_;
    return true;
}

void Ns16550a::rx_clear_locked() {
    rx_head_ = 0;
    rx_count_ = 0;
}

uint8_t Ns16550a::iir_locked() const {
    if ((ier_ & kIerLineStatus) && lsr_errors_) return kIirLineStatus;
    if ((ier_ & kIerRxData) && rx_count_) {
        // Below the trigger level a real UART reports a character timeout after four character
        // times; with no line timing, that time has always passed.
        const bool below_trigger = (fcr_ & kFcrFifoEnable) && rx_count_ < kRxTrigger[fcr_ >> 6];
        return below_trigger ? kIirRxTimeout : kIirRxData;
    }
    if ((ier_ & kIerThre) && thr_ipending_) return kIirThre;
    return kIirNone;  // no modem status interrupt: the modem lines never change on their own
}

// Like QEMU, loopback mirrors MCR into MSR without delta bits, and outside loopback the lines are
// constant, so MSR never has delta bits.
uint8_t Ns16550a::msr_lines_locked() const {
    if (!(mcr_ & kMcrLoop)) return kMsrDcd | kMsrDsr | kMsrCts;
    uint8_t lines = 0;
    if (mcr_ & kMcrRts) lines |= kMsrCts;
    if (mcr_ & kMcrDtr) lines |= kMsrDsr;
    if (mcr_ & kMcrOut1) lines |= kMsrRi;
    if (mcr_ & kMcrOut2) lines |= kMsrDcd;
    return lines;
}

void Ns16550a::update_irq_locked() {
    const bool level = !(iir_locked() & kIirNone);
    if (level == irq_level_) return;
    irq_level_ = level;
    irq_.set(level);
}

uint64_t Ns16550a::read(uint64_t offset, unsigned size) {
    bool freed = false;
    uint8_t value = 0;
    {
        std::lock_guard lock(mutex_);
        const bool dlab = lcr_ & kLcrDlab;
        switch (offset) {
            case kRbrThr:
                if (dlab) {
                    value = dll_;
                } else if (rx_count_) {
                    rbr_ = rx_[rx_head_];
                    rx_head_ = (rx_head_ + 1) % kFifoSize;
                    --rx_count_;
                    value = rbr_;
                    freed = true;
                } else if (!(fcr_ & kFcrFifoEnable)) {
                    value = rbr_;  // the holding register keeps its byte (QEMU: an empty FIFO reads 0)
                }
                break;
            case kIer: value = dlab ? dlm_ : ier_; break;
            case kIirFcr:
                value = iir_locked();
                if (value == kIirThre) thr_ipending_ = false;  // reading IIR acknowledges THRE
                if (fcr_ & kFcrFifoEnable) value |= kIirFifoEnabled;
                break;
            case kLcr: value = lcr_; break;
            case kMcr: value = mcr_; break;
            case kLsr:
                value = (rx_count_ ? kLsrDataReady : 0) | lsr_errors_ | kLsrThrEmpty | kLsrTxEmpty;
                lsr_errors_ = 0;
                break;
            case kMsr: value = msr_lines_locked(); break;
            case kScr: value = scr_; break;
            default: guest_error("read of a register that does not exist", offset, 0); return 0;
        }
        update_irq_locked();
    }
    if (freed && backend_) backend_->accept_input();
    return value;
}

void Ns16550a::write(uint64_t offset, unsigned size, uint64_t value) {
    const uint8_t val = uint8_t(value);
    std::lock_guard tx_lock(tx_mutex_);
    bool transmit = false;
    bool freed = false;
    {
        std::lock_guard lock(mutex_);
        const bool dlab = lcr_ & kLcrDlab;
        switch (offset) {
            case kRbrThr:
                if (dlab) {
                    dll_ = val;
                    break;
                }
                if (mcr_ & kMcrLoop) {
                    if (!rx_push_locked(val)) lsr_errors_ |= kLsrOverrun;
                } else {
                    transmit = true;
                }
                thr_ipending_ = true;  // the byte left THR at once
                break;
            case kIer:
                if (dlab) {
                    dlm_ = val;
                } else {
                    const uint8_t changed = (ier_ ^ val) & kIerThre;
                    ier_ = val & 0x0f;
                    // Enabling ETBEI while THR is empty raises THRE (what Linux's probe expects).
                    if (changed) thr_ipending_ = (ier_ & kIerThre) != 0;
                }
                break;
            case kIirFcr: {
                uint8_t cmd = val;
                if ((val ^ fcr_) & kFcrFifoEnable) cmd |= kFcrClearRx | kFcrClearTx;  // mode change empties both
                if (cmd & kFcrClearRx) {
                    freed = true;
                    rx_clear_locked();
                }
                if (cmd & kFcrClearTx) thr_ipending_ = true;
                fcr_ = val & 0xc9;
                break;
            }
            case kLcr: lcr_ = val; break;
            case kMcr: mcr_ = val & 0x1f; break;
            case kLsr:
            case kMsr: break;  // read-only status: writes are a factory-test feature, ignored
            case kScr: scr_ = val; break;
            default: guest_error("write to a register that does not exist", offset, value); return;
        }
        update_irq_locked();
    }
    if (transmit && backend_) backend_->write(&val, 1);
    if (freed && backend_) backend_->accept_input();
}

size_t Ns16550a::can_receive() {
    std::lock_guard lock(mutex_);
    const size_t capacity = rx_capacity_locked();
    return rx_count_ < capacity ? capacity - rx_count_ : 0;
}

void Ns16550a::receive(const uint8_t* data, size_t size) {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < size; ++i)
        if (!rx_push_locked(data[i])) lsr_errors_ |= kLsrOverrun;
    update_irq_locked();
}

}  // namespace mimic::devices
