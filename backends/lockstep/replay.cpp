// Stand-ins for non-deterministic helpers: a fixed set of functions (a helper is a plain function
// pointer, with no room for a closure), each bound at run time to the helper it replaces.
#include "backends/lockstep/replay.h"

#include <array>
#include <mutex>
#include <utility>

namespace mimic::lockstep {
namespace {

constexpr size_t kMaxStandIns = 8;

struct StandIn {
    const ir::HelperInfo* original = nullptr;
    ir::HelperInfo info{};
};

std::mutex g_mutex;
std::array<StandIn, kMaxStandIns> g_stand_ins;
thread_local ReplayScope* t_scope = nullptr;

template <size_t kIndex>
uint64_t stand_in(CpuHeader* env, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3) {
    // Bound before any block calling it was compiled, and never rebound.
    const ir::HelperFn fn = g_stand_ins[kIndex].original->fn;
    if (ReplayScope* scope = ReplayScope::current()) return scope->call(fn, env, a0, a1, a2, a3);
    return fn(env, a0, a1, a2, a3);
}

template <size_t... kIndex>
constexpr std::array<ir::HelperFn, kMaxStandIns> stand_in_functions(std::index_sequence<kIndex...>) {
    return {&stand_in<kIndex>...};
}
constexpr auto kStandInFunctions = stand_in_functions(std::make_index_sequence<kMaxStandIns>());

}  // namespace

const ir::HelperInfo* replay_stand_in(const ir::HelperInfo* original) {
    if ((original->flags & ir::kHelperMayRaise) || !(original->flags & ir::kHelperNoWriteGlobals)) return original;
    std::lock_guard lock(g_mutex);
    for (size_t i = 0; i < kMaxStandIns; ++i) {
        StandIn& s = g_stand_ins[i];
        if (s.original == original) return &s.info;
        if (!s.original) {
            s.original = original;
            s.info = *original;
            s.info.fn = kStandInFunctions[i];
            s.info.flags &= ~ir::kHelperPure;  // its result now depends on the replay
            return &s.info;
        }
    }
    return original;
}

ReplayScope::ReplayScope() : outer_(t_scope) {
    t_scope = this;
}

ReplayScope::~ReplayScope() {
    t_scope = outer_;
}

ReplayScope* ReplayScope::current() {
    return t_scope;
}

uint64_t ReplayScope::call(ir::HelperFn fn, CpuHeader* env, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3) {
    if (!recording_ && next_ < results_.size()) return results_[next_++];
    const uint64_t v = fn(env, a0, a1, a2, a3);
    if (recording_) results_.push_back(v);
    return v;
}

}  // namespace mimic::lockstep
