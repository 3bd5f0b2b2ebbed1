// -netdev user: the guest's network is a NAT in this process, from libslirp (BSD-3-Clause), as in
// QEMU. The guest is 10.0.2.15 (DHCP), the gateway 10.0.2.2 is the host's loopback, 10.0.2.3 its
// DNS resolver, and hostfwd rules forward host ports into the guest. IPv4 only.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <poll.h>

#include "devices/net_backend.h"
#include "machines/common/device_options.h"

struct Slirp;

namespace mimic::machines {

struct NetError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class UserNetwork final : public devices::NetBackend {
public:
    static constexpr size_t kMaxPending = 512;  // frames for the guest; more are dropped

    // Throws NetError "-netdev TEXT: reason" (a forwarded port that cannot be bound, ...).
    explicit UserNetwork(const NetdevSpec& spec);
    ~UserNetwork() override;
    UserNetwork(const UserNetwork&) = delete;
    UserNetwork& operator=(const UserNetwork&) = delete;

    void send(const uint8_t* frame, size_t size) override;
    void attach(devices::NetFrontend* frontend) override;
    void accept_input() override { wake(); }

    // libslirp's callbacks (through its C interface).
    struct Timer;
    void to_guest(const uint8_t* frame, size_t size);
    Timer* new_timer(void (*callback)(void*), void* opaque);
    void free_timer(Timer* timer);
    void mod_timer(Timer* timer, int64_t expire_ms);
    int add_poll(int fd, int events);
    int revents(int index) const;

private:
    void run();
    void wake();
    int64_t next_timer_ms() const;
    void run_timers();
    void deliver();

    std::mutex mutex_;  // libslirp and everything below that is not the thread's own
    Slirp* slirp_ = nullptr;
    std::vector<pollfd> pollfds_;
    std::vector<std::unique_ptr<Timer>> timers_;
    std::deque<std::vector<uint8_t>> to_guest_;  // from libslirp, not yet offered to the device

    std::mutex frontend_mutex_;  // held while a frame is delivered
    devices::NetFrontend* frontend_ = nullptr;
    std::deque<std::vector<uint8_t>> pending_;  // the thread's: frames the device had no room for

    int wake_fd_ = -1;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace mimic::machines
