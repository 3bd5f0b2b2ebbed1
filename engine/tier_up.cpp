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

namespace {

uint32_t guest_insns(const TierUpCompiler::Job& job) {
    uint32_t n = 0;
    for (const TierUpCompiler::Member& m : job.blocks) n += m.ir->guest_insn_count();
    return n;
}

}  // namespace

std::vector<TierUpCompiler::Job> TierUpCompiler::take_batch_locked() {
    std::stable_sort(queue_.begin(), queue_.end(), [](const Job& a, const Job& b) { return a.heat_ns < b.heat_ns; });
    std::vector<Job> batch;
    uint32_t insns = 0;
    uint32_t budget = 0;
    while (!queue_.empty() && batch.size() < kBatchJobs) {
        const uint32_t n = guest_insns(queue_.front());
        if (batch.empty())
            budget = std::min(kBatchInsns, 2 * n + kBatchSlack);
        else if (insns + n > budget)
            break;
        insns += n;
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
    }
    return batch;
}

void TierUpCompiler::compile(std::vector<Job>& batch) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::vector<RegionBlock>> regions;
    for (const Job& job : batch) {
        std::vector<RegionBlock>& blocks = regions.emplace_back();
        for (const Member& m : job.blocks) blocks.push_back({m.ir.get(), m.chain, m.indirect_inside});
    }
    std::vector<std::unique_ptr<CompiledBlock>> code;
    try {
        code = backend_.compile_regions(regions);
    } catch (const std::exception& e) {
        if (batch.size() > 1) {
            for (Job& job : batch) {
                std::vector<Job> alone;
                alone.push_back(std::move(job));
                compile(alone);
            }
            return;
        }
        // A bug of the upper tier: the blocks stay where they are.
        std::fprintf(stderr, "mimic: %s tier could not compile the region at 0x%llx: %s\n",
                     std::string(backend_.name()).c_str(),
                     static_cast<unsigned long long>(batch.front().blocks.front().key.pc), e.what());
    }
    code.resize(batch.size());
    // Each job's share of the batch's time: what compiling it cost.
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() /
                      double(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) install_(batch[i], std::move(code[i]), ms);
}

void TierUpCompiler::run() {
    pthread_setname_np(pthread_self(), "mimic-compile");  // for top -H, perf and gdb
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (stop_) return;
        std::vector<Job> batch = take_batch_locked();
        busy_ = true;
        lock.unlock();
        compile(batch);
        lock.lock();
        busy_ = false;
        changed_.notify_all();
    }
}

}  // namespace mimic
