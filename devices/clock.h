// The machine's virtual clock and the timers devices arm on it. Virtual time is host monotonic
// time since the machine started, in nanoseconds; a Timer's callback runs on the TimerService's
// own thread when its deadline passes. One TimerService per machine: no global state.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mimic::devices {

class VirtualClock {
public:
    VirtualClock() : start_(std::chrono::steady_clock::now()) {}
    uint64_t now_ns() const {
        return uint64_t(
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_).count());
    }
    // Ticks of a counter running at `hz` (e.g. the 10 MHz RISC-V mtime).
    uint64_t now_ticks(uint64_t hz) const { return uint64_t((unsigned __int128)now_ns() * hz / 1'000'000'000u); }
    // The virtual time in ns at which such a counter reaches `ticks` (saturating).
    static uint64_t ticks_to_ns(uint64_t ticks, uint64_t hz) {
        const unsigned __int128 ns = (unsigned __int128)ticks * 1'000'000'000u / hz;
        return ns > ~uint64_t(0) ? ~uint64_t(0) : uint64_t(ns);
    }

private:
    std::chrono::steady_clock::time_point start_;
};

class TimerService;

// A one-shot timer. Re-arming replaces the previous deadline. Destroy timers before their service.
// cancel() and the destructor wait for a callback that is running on the service thread (unless
// called from that callback), so never call them while holding a lock that the callback takes.
class Timer {
public:
    Timer(TimerService& service, std::function<void()> callback);
    ~Timer();
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;

    void arm(uint64_t deadline_ns);  // fires at once (on the service thread) if already past
    void cancel();

private:
    friend class TimerService;
    TimerService& service_;
    std::function<void()> callback_;
    uint64_t deadline_ns_ = 0;
    bool armed_ = false;  // guarded by the service's mutex
};

class TimerService {
public:
    explicit TimerService(const VirtualClock& clock);
    ~TimerService();  // stops the thread
    TimerService(const TimerService&) = delete;
    TimerService& operator=(const TimerService&) = delete;

    const VirtualClock& clock() const { return clock_; }

private:
    friend class Timer;
    void run();
    void add(Timer* t);
    void remove(Timer* t);

    const VirtualClock& clock_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Timer*> timers_;  // the armed ones
    Timer* running_ = nullptr;    // whose callback runs now, without mutex_ held
    bool stop_ = false;
    std::thread thread_;  // last: starts after the members above exist
};

}  // namespace mimic::devices
