// Character devices (UARTs, HTIF's console) talk to the host through a CharBackend: stdio with
// QEMU's Ctrl-A escapes, a file, or nothing. The device is the CharFrontend that receives input.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mimic::devices {

class CharFrontend {
public:
    virtual ~CharFrontend() = default;
    // How many bytes the device can take now (its receive FIFO's free space).
    virtual size_t can_receive() = 0;
    // Input from the host, at most can_receive() bytes. Called on the backend's input thread.
    virtual void receive(const uint8_t* data, size_t size) = 0;
};

class CharBackend {
public:
    virtual ~CharBackend() = default;
    // Output from the guest. Callable from any thread; never blocks for long.
    virtual void write(const uint8_t* data, size_t size) = 0;
    // Connects the device that receives input (nullptr to disconnect).
    virtual void attach(CharFrontend* frontend) = 0;
    // The device's receive FIFO has room again: input waiting in the backend may now flow.
    virtual void accept_input() {}
};

}  // namespace mimic::devices
