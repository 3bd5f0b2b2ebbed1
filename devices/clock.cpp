// TimerService: one thread per machine sleeping until the earliest armed Timer's deadline.
#include "devices/clock.h"

#include <algorithm>

namespace mimic::devices {

namespace {
// Bounds one sleep, so a far deadline (mtimecmp = all ones) cannot overflow the wait's time point.
constexpr uint64_t kMaxSleepNs = 3600ull * 1'000'000'000ull;
}  // namespace

Timer::Timer(TimerService& service, std::function<void()> callback)
    : service_(service), callback_(std::move(callback)) {}

Timer::~Timer() {
    cancel();
}

void Timer::arm(uint64_t deadline_ns) {
    std::lock_guard lock(service_.mutex_);
    deadline_ns_ = deadline_ns;
    if (!armed_) service_.add(this);
    service_.changed_.notify_all();
}

void Timer::cancel() {
    std::unique_lock lock(service_.mutex_);
    if (armed_) service_.remove(this);
    // A callback may cancel its own timer: waiting for it there would never end.
    if (std::this_thread::get_id() == service_.thread_.get_id()) return;
    service_.changed_.wait(lock, [&] { return service_.running_ != this; });
}

TimerService::TimerService(const VirtualClock& clock) : clock_(clock), thread_([this] { run(); }) {}

TimerService::~TimerService() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        changed_.notify_all();
    }
    thread_.join();
}

void TimerService::add(Timer* t) {
    t->armed_ = true;
    timers_.push_back(t);
}

void TimerService::remove(Timer* t) {
    t->armed_ = false;
    timers_.erase(std::find(timers_.begin(), timers_.end(), t));
}

void TimerService::run() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
        auto next = std::min_element(timers_.begin(), timers_.end(),
                                     [](const Timer* a, const Timer* b) { return a->deadline_ns_ < b->deadline_ns_; });
        if (next == timers_.end()) {
            changed_.wait(lock);
            continue;
        }
        Timer* t = *next;
        const uint64_t now = clock_.now_ns();
        if (t->deadline_ns_ > now) {
            changed_.wait_for(lock, std::chrono::nanoseconds(std::min(t->deadline_ns_ - now, kMaxSleepNs)));
            continue;
        }
        remove(t);
        running_ = t;
        lock.unlock();
        t->callback_();
        lock.lock();
        running_ = nullptr;
        changed_.notify_all();  // a cancel() may be waiting for this callback
    }
}

}  // namespace mimic::devices
