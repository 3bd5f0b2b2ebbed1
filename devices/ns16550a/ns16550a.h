// NS16550A UART (QEMU virt's console at 0x10000000, reg-shift 0): byte registers, a 16-byte
// receive FIFO fed by the CharBackend, transmission that completes at once, one interrupt output.
#pragma once

#include <array>
#include <mutex>

#include "devices/char_backend.h"
#include "devices/device.h"
#include "devices/irq.h"
#include "engine/log.h"

namespace mimic::devices {

class Ns16550a final : public MmioDevice, public CharFrontend {
public:
    static constexpr size_t kFifoSize = 16;

    // Attaches itself to `backend` (may be null: output is dropped, no input) and detaches in the
    // destructor. The UART never calls the backend with its register lock held, so the backend
    // may call receive() with its own locks held.
    Ns16550a(CharBackend* backend, IrqLine irq, Log* log = nullptr);
    ~Ns16550a() override;

    std::string_view name() const override { return "ns16550a"; }
    // Registers are bytes; wider accesses use the low byte, as QEMU's serial_mm does.
    unsigned access_sizes() const override { return kSize1 | kSize2 | kSize4 | kSize8; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;

    size_t can_receive() override;
    void receive(const uint8_t* data, size_t size) override;

private:
    // All *_locked functions expect mutex_ held.
    size_t rx_capacity_locked() const { return (fcr_ & kFcrFifoEnable) ? kFifoSize : 1; }
    bool rx_push_locked(uint8_t byte);  // false on overrun
    void rx_clear_locked();
    uint8_t iir_locked() const;  // interrupt identification, without the FIFO bits
    uint8_t msr_lines_locked() const;
    void update_irq_locked();
    void guest_error(const char* what, uint64_t offset, uint64_t value);

    static constexpr uint8_t kFcrFifoEnable = 0x01;

    CharBackend* const backend_;
    const IrqLine irq_;
    Log* const log_;

    std::mutex tx_mutex_;  // keeps transmitted bytes in order; taken before mutex_
    std::mutex mutex_;     // the registers below
    std::array<uint8_t, kFifoSize> rx_{};
    size_t rx_head_ = 0;
    size_t rx_count_ = 0;
    uint8_t rbr_ = 0;  // last byte read: what an empty holding register returns (no FIFO)
    uint8_t ier_ = 0;
    uint8_t fcr_ = 0;
    uint8_t lcr_ = 0;
    uint8_t mcr_ = 0x08;      // OUT2, as QEMU resets it
    uint8_t lsr_errors_ = 0;  // overrun (LSR bit 1); DR, THRE and TEMT are computed
    uint8_t scr_ = 0;
    uint8_t dll_ = 0x0c;
    uint8_t dlm_ = 0;
    bool thr_ipending_ = false;
    bool irq_level_ = false;
};

}  // namespace mimic::devices
