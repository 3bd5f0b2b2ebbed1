// Network devices reach the host through a NetBackend (user-mode NAT, ...), one Ethernet frame at a
// time. The device is the NetFrontend that takes frames for the guest.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mimic::devices {

class NetFrontend {
public:
    virtual ~NetFrontend() = default;
    // A frame for the guest. False: the device has no buffer for it now; the backend keeps it and
    // tries again after accept_input(). Called on the backend's thread.
    virtual bool receive(const uint8_t* frame, size_t size) = 0;
};

class NetBackend {
public:
    virtual ~NetBackend() = default;
    // A frame from the guest. Callable from any thread; never blocks for long.
    virtual void send(const uint8_t* frame, size_t size) = 0;
    // Connects the device that receives frames (nullptr to disconnect).
    virtual void attach(NetFrontend* frontend) = 0;
    // The device has buffers again: frames waiting in the backend may now flow.
    virtual void accept_input() = 0;
};

}  // namespace mimic::devices
