// The background compiler thread.
#include "engine/tier_up.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

namespace mimic {

TierUpCompiler::TierUpCompiler(Backend& backend, Install install) : backend_(backend), install_(std::move(install)) {}

TierUpCompiler::~TierUpCompiler() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        queue_.clear();
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
}

// The thread starts with the first job: a short program that never gets hot does not pay for it.
void TierUpCompiler::enqueue(Job job) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(job));
        if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    }
    changed_.notify_all();
}

size_t TierUpCompiler::pending() {
    std::lock_guard lock(mutex_);
    return queue_.size() + (busy_ ? 1 : 0);
}

void TierUpCompiler::drain() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return (queue_.empty() && !busy_) || stop_; });
}

void TierUpCompiler::run() {
    pthread_setname_np(pthread_self(), "mimic-compile");  // for top -H, perf and gdb
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (stop_) return;
        auto hottest = std::min_element(queue_.begin(), queue_.end(),
                                        [](const Job& a, const Job& b) { return a.heat_ns < b.heat_ns; });
        Job job = std::move(*hottest);
        queue_.erase(hottest);
        busy_ = true;
        lock.unlock();
        const auto start = std::chrono::steady_clock::now();
        std::unique_ptr<CompiledBlock> code;
        try {
            std::vector<RegionBlock> blocks;
            for (const Member& m : job.blocks) blocks.push_back({m.ir.get(), m.chain, m.indirect_inside});
            code = backend_.compile_region(blocks);
        } catch (const std::exception& e) {  // a bug of the upper tier: the blocks stay where they are
            std::fprintf(stderr, "mimic: %s tier could not compile the region at 0x%llx: %s\n",
                         std::string(backend_.name()).c_str(),
                         static_cast<unsigned long long>(job.blocks.front().key.pc), e.what());
        }
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        install_(job, std::move(code), ms);
        lock.lock();
        busy_ = false;
        changed_.notify_all();
    }
}

}  // namespace mimic
