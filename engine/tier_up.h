// Background compilation for the tier-up policy: regions around blocks that got hot are compiled
// by the upper tier on a thread of their own, and their code is installed into the TB cache when
// ready. The vCPU thread only enqueues; it never waits for the compiler.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/backend.h"
#include "engine/translation_block.h"

namespace mimic {

class TierUpCompiler {
public:
    struct Member {
        TbKey key;
        uint64_t id;  // the block's id when queued: install only if every member is still that block
        std::shared_ptr<const ir::Block> ir;
        ChainSlots* chain;                      // the block's; only used by code installed while the block lives
        std::vector<uint64_t> indirect_inside;  // see RegionBlock
    };
    struct Job {
        std::vector<Member> blocks;  // the region, its head first
        // Members marked `queued` for this job, so that they do not head regions of their own
        // meanwhile; the install clears the mark.
        std::vector<std::pair<TbKey, uint64_t>> covered;
        // How long the head took for its last half-threshold of runs (ns): the compiler takes
        // the hottest job first, so that a program's current phase is not stuck behind units
        // that were lukewarm long ago.
        uint64_t heat_ns = 0;
    };
    // `install` runs on the compiler thread with the compiled code (or an error message).
    using Install = std::function<void(Job&, std::unique_ptr<CompiledBlock>, double compile_ms)>;

    TierUpCompiler(Backend& backend, Install install);
    ~TierUpCompiler();  // drops queued jobs, finishes the one in progress
    TierUpCompiler(const TierUpCompiler&) = delete;
    TierUpCompiler& operator=(const TierUpCompiler&) = delete;

    void enqueue(Job job);
    size_t pending();
    // Waits until the queue is empty and nothing is compiling (tests, lockstep).
    void drain();

    // A batch, compiled as one unit of the backend's work (Backend::compile_regions): the hottest
    // job, then the next hottest while the batch holds at most kBatchJobs jobs, and at most twice
    // the hottest job's guest instructions plus kBatchSlack, and never more than kBatchInsns.
    // Each LLVM module costs about a millisecond however small it is, as much as a small unit;
    // the bounds keep the hottest job from waiting for much more work than its own.
    static constexpr size_t kBatchJobs = 8;
    static constexpr uint32_t kBatchSlack = 16;
    static constexpr uint32_t kBatchInsns = 128;

private:
    void run();
    std::vector<Job> take_batch_locked();
    // Compiles and installs a batch; if it fails, each job alone, so that one region the backend
    // cannot compile does not keep the others from their code.
    void compile(std::vector<Job>& batch);

    Backend& backend_;
    Install install_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Job> queue_;
    bool busy_ = false;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace mimic
