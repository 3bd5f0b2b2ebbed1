// Helpers whose results are not a function of their arguments (clocks, cycle counters) would make
// the two runs of a block differ for no fault of either tier. Calls to them are redirected to
// stand-ins that record the reference run's results and hand the same ones to the subject run.
#pragma once

#include <cstdint>
#include <vector>

#include "ir/helper.h"

namespace mimic::lockstep {

// The stand-in for `original`, or `original` itself when it cannot be replayed: it may raise or
// write guest registers (effects a replay would skip), or the stand-ins are used up.
const ir::HelperInfo* replay_stand_in(const ir::HelperInfo* original);

// While alive, this thread's stand-ins record (the reference run) or replay (the subject run, in
// call order; calls beyond the recorded ones reach the helper itself). Outside one, they call
// the helper.
class ReplayScope {
public:
    ReplayScope();
    ~ReplayScope();
    ReplayScope(const ReplayScope&) = delete;
    ReplayScope& operator=(const ReplayScope&) = delete;

    void start_replay() { recording_ = false, next_ = 0; }

    // For the stand-ins.
    static ReplayScope* current();
    uint64_t call(ir::HelperFn fn, CpuHeader* env, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);

private:
    ReplayScope* outer_;
    bool recording_ = true;
    std::vector<uint64_t> results_;
    size_t next_ = 0;
};

}  // namespace mimic::lockstep
