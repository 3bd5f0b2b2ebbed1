// Compiled code's inline probe of the vCPU's jump cache (JumpCacheEntry): an indirect jump, or a
// direct exit the engine never chains, enters the block found there only for the same pc and mode
// flags, while the block has a direct entry, and never while the vCPU is asked to exit. A direct
// exit the engine does chain returns to it while its slot is empty.
#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>

#include "backends/llvm/llvm_backend.h"
#include "engine/log.h"
#include "ir/builder.h"
#include "tests/backends/llvm/one_register_env.h"

using namespace mimic;
using namespace mimic::ir;

namespace {

using TestEnv = test::OneRegisterEnv;
const auto& kGlobals = test::kOneRegister;

constexpr uint64_t kTarget = 0x2468;  // on another page than the block at 0x100
constexpr uint32_t kFlags = 5;

// Stands in for the target block's compiled code: the probe tail-calls it with env.
uint64_t target_block(CpuHeader* env) {
    env->pc = 0xdead;
    return encode_exit(BlockExit::Kind::kExit, 0, ExitReason::kHalt);
}

// System mode's memory model by default: there the direct exit to another page is never chained
// (engine_links), and probes too.
struct Probe {
    explicit Probe(Log* log = nullptr, MemoryModel memory = MemoryModel::kSoftTlb) : backend(memory, log) {
        env.header.jump_cache = entries->data();
        entry() = {kTarget, kFlags, &direct, nullptr};
    }
    JumpCacheEntry& entry() { return (*entries)[jump_cache_index(kTarget)]; }
    // Runs a block of mode `flags` that jumps to `target`, indirectly or by its direct exit 0.
    BlockExit run(bool indirect, uint32_t flags = kFlags, uint64_t target = kTarget) {
        Block block(kGlobals, 0x100, flags);
        Builder b(block);
        b.insn_start(0x100);
        if (indirect)
            b.lookup_and_goto(b.get_global(0));
        else
            b.goto_tb(0, target);
        ChainSlots chain = {nullptr, nullptr};  // not chained: the probe is the way in
        env.header.pc = 0;
        env.r[0] = target;
        return backend.compile(block, &chain)->run(&env.header);
    }
    static bool entered(const BlockExit& exit) {
        return exit.kind == BlockExit::Kind::kExit && exit.reason == ExitReason::kHalt;
    }

    jit::LlvmBackend backend;
    TestEnv env;
    std::atomic<void*> direct{reinterpret_cast<void*>(&target_block)};
    std::unique_ptr<std::array<JumpCacheEntry, size_t{1} << kJumpCacheBits>> entries =
        std::make_unique<std::array<JumpCacheEntry, size_t{1} << kJumpCacheBits>>();
};

}  // namespace

TEST_CASE("llvm tier: the inline jump cache probe enters a block of the same pc and flags", "[llvm][chain]") {
    for (bool indirect : {true, false}) {
        INFO("indirect " << indirect);
        Probe p;
        BlockExit exit = p.run(indirect);
        CHECK(Probe::entered(exit));
        CHECK(p.env.header.pc == 0xdead);

        exit = p.run(indirect, kFlags + 1);  // the block runs in another mode
        CHECK(exit.kind == (indirect ? BlockExit::Kind::kLookup : BlockExit::Kind::kGotoTb));
        CHECK(p.env.header.pc == kTarget);  // back to the dispatcher, at the target

        p.entry().pc = kTarget + 2;  // the entry holds another block
        CHECK_FALSE(Probe::entered(p.run(indirect)));
        p.entry().pc = kTarget;

        p.direct.store(nullptr);  // the block was invalidated, or has no compiled code
        CHECK_FALSE(Probe::entered(p.run(indirect)));
        p.direct.store(reinterpret_cast<void*>(&target_block));

        p.env.header.exit_request.store(1);  // an interrupt or a signal is waiting
        CHECK_FALSE(Probe::entered(p.run(indirect)));
        p.env.header.exit_request.store(0);

        // An empty entry matches pc 0 in a mode whose flags are 0: its direct entry is a null.
        CHECK_FALSE(Probe::entered(p.run(indirect, 0, 0)));
    }
}

TEST_CASE("llvm tier: a direct exit the engine chains returns to it while its slot is empty", "[llvm][chain]") {
    // In user mode every direct exit gets linked once the engine sees it; had it entered the block
    // in the jump cache instead, it would never be seen.
    Probe flat(nullptr, MemoryModel::kFlat);
    BlockExit exit = flat.run(false);
    CHECK(exit.kind == BlockExit::Kind::kGotoTb);
    CHECK(exit.slot == 0);
    CHECK(flat.env.header.pc == kTarget);
    CHECK(Probe::entered(flat.run(true)));  // an indirect jump still probes

    // In system mode, the same within the block's page.
    Probe same_page;
    same_page.entry() = {0x468, kFlags, &same_page.direct, nullptr};
    exit = same_page.run(false, kFlags, 0x468);
    CHECK(exit.kind == BlockExit::Kind::kGotoTb);
    CHECK(same_page.env.header.pc == 0x468);
}

TEST_CASE("llvm tier: the probe counts its hits under -d stats only", "[llvm][chain][stats]") {
    Probe quiet;
    REQUIRE(Probe::entered(quiet.run(true)));
    CHECK(quiet.env.header.inline_lookups == 0);

    Log log;
    log.enable(kLogStats);
    Probe counted(&log);
    REQUIRE(Probe::entered(counted.run(true)));
    REQUIRE(Probe::entered(counted.run(false)));
    counted.direct.store(nullptr);
    CHECK_FALSE(Probe::entered(counted.run(true)));
    CHECK(counted.env.header.inline_lookups == 2);
}
