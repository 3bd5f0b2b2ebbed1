// libslirp runs on one thread of its own: it polls the host sockets and the wake-up eventfd, runs
// its timers, and delivers the frames it made for the guest. libslirp is not thread-safe, so every
// call into it is under mutex_; frames for the guest are queued there and delivered with mutex_
// released, so a vCPU that sends (holding the device's lock) never waits on a delivery that waits
// on the device.
#include "machines/common/user_net.h"

#include <arpa/inet.h>
#include <slirp/libslirp.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>

namespace mimic::machines {

struct UserNetwork::Timer {
    void (*callback)(void*);
    void* opaque;
    int64_t expire_ms = -1;  // -1: not armed
};

namespace {

int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

UserNetwork* self(void* opaque) {
    return static_cast<UserNetwork*>(opaque);
}

ssize_t cb_send_packet(const void* buf, size_t len, void* opaque) {
    self(opaque)->to_guest(static_cast<const uint8_t*>(buf), len);
    return ssize_t(len);
}
void cb_guest_error(const char*, void*) {}
int64_t cb_clock_get_ns(void*) {
    return now_ns();
}
void* cb_timer_new(SlirpTimerCb cb, void* cb_opaque, void* opaque) {
    return self(opaque)->new_timer(cb, cb_opaque);
}
void cb_timer_free(void* timer, void* opaque) {
    self(opaque)->free_timer(static_cast<UserNetwork::Timer*>(timer));
}
void cb_timer_mod(void* timer, int64_t expire_ms, void* opaque) {
    self(opaque)->mod_timer(static_cast<UserNetwork::Timer*>(timer), expire_ms);
}
void cb_register_poll_fd(int, void*) {}
void cb_unregister_poll_fd(int, void*) {}
void cb_notify(void*) {}  // called from within libslirp on this thread: the loop polls again anyway

int cb_add_poll(int fd, int events, void* opaque) {
    return self(opaque)->add_poll(fd, events);
}
int cb_get_revents(int index, void* opaque) {
    return self(opaque)->revents(index);
}

const SlirpCb kCallbacks = {
    .send_packet = cb_send_packet,
    .guest_error = cb_guest_error,
    .clock_get_ns = cb_clock_get_ns,
    .timer_new = cb_timer_new,
    .timer_free = cb_timer_free,
    .timer_mod = cb_timer_mod,
    .register_poll_fd = cb_register_poll_fd,
    .unregister_poll_fd = cb_unregister_poll_fd,
    .notify = cb_notify,
    .init_completed = nullptr,
    .timer_new_opaque = nullptr,
};

in_addr ipv4(const char* text) {
    in_addr a{};
    inet_pton(AF_INET, text, &a);
    return a;
}

}  // namespace

UserNetwork::UserNetwork(const NetdevSpec& spec) {
    SlirpConfig cfg{};
    cfg.version = 3;
    cfg.restricted = spec.restricted;
    cfg.in_enabled = true;
    cfg.vnetwork = ipv4("10.0.2.0");
    cfg.vnetmask = ipv4("255.255.255.0");
    cfg.vhost = ipv4("10.0.2.2");
    cfg.vdhcp_start = ipv4("10.0.2.15");
    cfg.vnameserver = ipv4("10.0.2.3");
    cfg.in6_enabled = false;
    slirp_ = slirp_new(&cfg, &kCallbacks, this);
    if (!slirp_) throw NetError("-netdev " + spec.text + ": libslirp could not start");
    for (const HostForward& f : spec.forwards) {
        const in_addr host = f.host_addr.empty() ? in_addr{INADDR_ANY} : ipv4(f.host_addr.c_str());
        const in_addr guest = ipv4(f.guest_addr.empty() ? "10.0.2.15" : f.guest_addr.c_str());
        if (slirp_add_hostfwd(slirp_, f.udp, host, f.host_port, guest, f.guest_port) < 0) {
            slirp_cleanup(slirp_);
            throw NetError("-netdev " + spec.text + ": could not forward host port " + std::to_string(f.host_port) +
                           " (hostfwd=" + f.text + "); is it in use?");
        }
    }
    wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd_ < 0) {
        slirp_cleanup(slirp_);
        throw NetError("-netdev " + spec.text + ": eventfd: " + std::strerror(errno));
    }
    thread_ = std::thread([this] { run(); });
}

UserNetwork::~UserNetwork() {
    stopping_ = true;
    wake();
    thread_.join();
    slirp_cleanup(slirp_);
    ::close(wake_fd_);
}

void UserNetwork::wake() {
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
}

void UserNetwork::send(const uint8_t* frame, size_t size) {
    {
        std::lock_guard lock(mutex_);
        slirp_input(slirp_, frame, int(size));
    }
    wake();  // replies (ARP, ...) may be queued, and libslirp may have new sockets to poll
}

void UserNetwork::attach(devices::NetFrontend* frontend) {
    {
        std::lock_guard lock(frontend_mutex_);
        frontend_ = frontend;
    }
    wake();
}

void UserNetwork::to_guest(const uint8_t* frame, size_t size) {
    if (to_guest_.size() < kMaxPending) to_guest_.emplace_back(frame, frame + size);
}

UserNetwork::Timer* UserNetwork::new_timer(void (*callback)(void*), void* opaque) {
    timers_.push_back(std::make_unique<Timer>(Timer{callback, opaque}));
    return timers_.back().get();
}

void UserNetwork::free_timer(Timer* timer) {
    std::erase_if(timers_, [&](const auto& t) { return t.get() == timer; });
}

void UserNetwork::mod_timer(Timer* timer, int64_t expire_ms) {
    timer->expire_ms = expire_ms;
}

int UserNetwork::add_poll(int fd, int events) {
    short e = 0;
    if (events & SLIRP_POLL_IN) e |= POLLIN;
    if (events & SLIRP_POLL_OUT) e |= POLLOUT;
    if (events & SLIRP_POLL_PRI) e |= POLLPRI;
    pollfds_.push_back({fd, e, 0});
    return int(pollfds_.size() - 1);
}

int UserNetwork::revents(int index) const {
    if (index < 0 || size_t(index) >= pollfds_.size()) return 0;
    const short r = pollfds_[size_t(index)].revents;
    int out = 0;
    if (r & POLLIN) out |= SLIRP_POLL_IN;
    if (r & POLLOUT) out |= SLIRP_POLL_OUT;
    if (r & POLLPRI) out |= SLIRP_POLL_PRI;
    if (r & POLLERR) out |= SLIRP_POLL_ERR;
    if (r & POLLHUP) out |= SLIRP_POLL_HUP;
    return out;
}

int64_t UserNetwork::next_timer_ms() const {
    int64_t next = -1;
    for (const auto& t : timers_)
        if (t->expire_ms >= 0 && (next < 0 || t->expire_ms < next)) next = t->expire_ms;
    return next;
}

void UserNetwork::run_timers() {
    const int64_t now_ms = now_ns() / 1'000'000;
    for (size_t i = 0; i < timers_.size(); ++i) {
        Timer& t = *timers_[i];
        if (t.expire_ms < 0 || t.expire_ms > now_ms) continue;
        t.expire_ms = -1;
        t.callback(t.opaque);  // may add or free timers: the index is checked again
    }
}

// Offers the frames in order; the first the device has no room for waits for accept_input().
void UserNetwork::deliver() {
    std::lock_guard lock(frontend_mutex_);
    while (!pending_.empty()) {
        if (frontend_ && !frontend_->receive(pending_.front().data(), pending_.front().size())) return;
        pending_.pop_front();  // delivered, or nobody to deliver it to
    }
}

void UserNetwork::run() {
    std::vector<pollfd> fds;
    while (!stopping_) {
        uint32_t timeout = 1000;  // ms; libslirp lowers it for its TCP timers
        {
            std::lock_guard lock(mutex_);
            pollfds_.clear();
            pollfds_.push_back({wake_fd_, POLLIN, 0});
            slirp_pollfds_fill(slirp_, &timeout, cb_add_poll, this);
            const int64_t next = next_timer_ms();
            if (next >= 0) timeout = uint32_t(std::clamp<int64_t>(next - now_ns() / 1'000'000, 0, timeout));
            fds = pollfds_;
        }
        const int n = ::poll(fds.data(), fds.size(), int(timeout));
        uint64_t drained;
        [[maybe_unused]] ssize_t r = ::read(wake_fd_, &drained, sizeof drained);
        {
            std::lock_guard lock(mutex_);
            for (size_t i = 0; i < fds.size(); ++i) pollfds_[i].revents = n > 0 ? fds[i].revents : 0;
            slirp_pollfds_poll(slirp_, n < 0, cb_get_revents, this);
            run_timers();
            while (!to_guest_.empty() && pending_.size() < kMaxPending) {
                pending_.push_back(std::move(to_guest_.front()));
                to_guest_.pop_front();
            }
            to_guest_.clear();
        }
        deliver();
    }
}

}  // namespace mimic::machines
