// Test doubles for the device tests: an IrqSink that records levels, a MachineControl that
// records requests, and a bounded wait for things that happen on another thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "devices/irq.h"
#include "devices/machine_control.h"

namespace mimic::devices::test {

// Generous: only "eventually" is asserted, never how soon.
inline constexpr auto kEventually = std::chrono::seconds(5);

class RecordingIrqSink final : public IrqSink {
public:
    void set_irq(unsigned line, bool level) override {
        std::lock_guard lock(mutex_);
        levels_[line] = level;
        history_.emplace_back(line, level);
        changed_.notify_all();
    }
    IrqLine line(unsigned n) { return IrqLine{this, n}; }
    bool level(unsigned line) {
        std::lock_guard lock(mutex_);
        auto it = levels_.find(line);
        return it != levels_.end() && it->second;
    }
    size_t events(unsigned line) {
        std::lock_guard lock(mutex_);
        size_t n = 0;
        for (const auto& [l, level] : history_) n += l == line;
        return n;
    }
    // True once `line` is at `level`, false if that did not happen within kEventually.
    bool wait_for(unsigned line, bool level) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, kEventually, [&] {
            auto it = levels_.find(line);
            return (it != levels_.end() && it->second) == level;
        });
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<unsigned, bool> levels_;
    std::vector<std::pair<unsigned, bool>> history_;
};

class RecordingMachineControl final : public MachineControl {
public:
    void request_poweroff(int exit_status) override {
        std::lock_guard lock(mutex_);
        poweroffs.push_back(exit_status);
    }
    void request_reset() override {
        std::lock_guard lock(mutex_);
        ++resets;
    }
    std::mutex mutex_;
    std::vector<int> poweroffs;
    int resets = 0;
};

// Polls `done` until it holds or kEventually passes.
inline bool eventually(const std::function<bool()>& done) {
    const auto end = std::chrono::steady_clock::now() + kEventually;
    while (!done()) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

}  // namespace mimic::devices::test
