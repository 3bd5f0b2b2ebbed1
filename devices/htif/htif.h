// HTIF, the host-target interface of spike: the machine maps this device over the ELF's
// `tohost`/`fromhost` words. tohost takes commands (device 63:56, command 55:48, payload 47:0);
// fromhost carries the answers. Supports what QEMU 7.2 does: exit, console output and input.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>

#include "devices/char_backend.h"
#include "devices/device.h"
#include "devices/machine_control.h"
#include "engine/log.h"

namespace mimic::devices {

class Htif final : public MmioDevice, public CharFrontend {
public:
    // Answers not yet taken by the guest (fromhost busy) wait in a queue of this length.
    static constexpr size_t kMaxQueuedResponses = 16;

    // Offsets are from the device's base, which the machine puts at the lower of the two symbols;
    // region_size() tells how far the device extends. `console` may be null. Attaches itself to the
    // console for input and detaches in the destructor.
    Htif(CharBackend* console, MachineControl* control, uint64_t tohost_offset, uint64_t fromhost_offset,
         Log* log = nullptr);
    ~Htif() override;

    static uint64_t region_size(uint64_t tohost_offset, uint64_t fromhost_offset) {
        return (tohost_offset > fromhost_offset ? tohost_offset : fromhost_offset) + 8;
    }

    std::string_view name() const override { return "htif"; }
    // An 8-byte access is the low word then the high word, as in QEMU (RV32 guests write halves).
    unsigned access_sizes() const override { return kSize4 | kSize8; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;

    size_t can_receive() override;
    void receive(const uint8_t* data, size_t size) override;

private:
    // What a command asks of the world outside the lock.
    struct Effects {
        bool output = false;
        uint8_t byte = 0;
        bool want_input = false;
        bool poweroff = false;
        int exit_status = 0;
    };

    uint32_t read32_locked(uint64_t offset);
    void write32_locked(uint64_t offset, uint32_t value, Effects& fx);
    void command_locked(uint64_t cmd, Effects& fx);
    void respond_locked(uint64_t response);
    void deliver_locked();  // moves the next queued answer into an empty fromhost
    void guest_error(const char* what, uint64_t offset, uint64_t value);

    CharBackend* const console_;
    MachineControl* const control_;
    const uint64_t tohost_offset_;
    const uint64_t fromhost_offset_;
    Log* const log_;

    std::mutex tx_mutex_;  // keeps console output in order; taken before mutex_
    std::mutex mutex_;     // the state below
    uint64_t tohost_ = 0;
    uint64_t fromhost_ = 0;
    bool tohost_low_accepted_ = false;  // the low word began a command: the high word completes it
    bool read_pending_ = false;         // the guest asked for a console byte
    std::deque<uint64_t> responses_;
};

}  // namespace mimic::devices
