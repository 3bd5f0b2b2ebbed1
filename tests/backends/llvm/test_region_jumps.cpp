// Jumps between the blocks of one compiled region: forward ones are plain branches, and only a
// backward one (which every loop inside the unit passes) checks whether the vCPU must come back.
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <memory>
#include <vector>

#include "backends/llvm/llvm_backend.h"
#include "ir/builder.h"
#include "tests/backends/counting_block.h"
#include "tests/backends/llvm/one_register_env.h"

using namespace mimic;
using namespace mimic::ir;

namespace {

using TestEnv = test::OneRegisterEnv;
const auto& kGlobals = test::kOneRegister;

constexpr uint64_t kOutside = 0x900;  // not a block of any region here

Block counting_block(uint64_t pc, uint64_t next) {
    return test::counting_block(kGlobals, pc, next, kOutside);
}

// Runs the unit once with an exit already requested (an empty jump cache for its way out).
void run_with_exit_requested(const CompiledBlock& code, TestEnv& env) {
    auto jump_cache = std::make_unique<std::array<JumpCacheEntry, size_t{1} << kJumpCacheBits>>();
    env.header.jump_cache = jump_cache->data();
    env.header.exit_request.store(1);
    const BlockExit exit = code.run(&env.header);
    CHECK(exit.kind == BlockExit::Kind::kGotoTb);
    env.header.jump_cache = nullptr;
}

}  // namespace

TEST_CASE("llvm tier: a region checks for a requested exit on its backward jumps only", "[llvm][regions]") {
    // 0x100 -> 0x200 -> 0x300 -> 0x100, in that order in the region: one loop, one backward jump.
    const Block a = counting_block(0x100, 0x200), b = counting_block(0x200, 0x300), c = counting_block(0x300, 0x100);
    std::array<ChainSlots, 3> chains = {};
    jit::LlvmBackend backend(MemoryModel::kFlat, nullptr);
    auto code = backend.compile_region({{&a, &chains[0]}, {&b, &chains[1]}, {&c, &chains[2]}});

    // The forward jumps ran without a check: all three blocks ran once, and the unit left on the
    // backward jump, at its target, with r0 written back.
    TestEnv env;
    run_with_exit_requested(*code, env);
    CHECK(env.r[0] == 3);
    CHECK(env.header.pc == 0x100);
}

TEST_CASE("llvm tier: a block of a region that jumps to itself checks for a requested exit", "[llvm][regions]") {
    const Block a = counting_block(0x100, 0x100), b = counting_block(0x200, 0x100);
    std::array<ChainSlots, 2> chains = {};
    jit::LlvmBackend backend(MemoryModel::kFlat, nullptr);
    TestEnv env;
    run_with_exit_requested(*backend.compile_region({{&a, &chains[0]}, {&b, &chains[1]}}), env);
    CHECK(env.r[0] == 1);
    CHECK(env.header.pc == 0x100);
}

TEST_CASE("llvm tier: regions compiled in one module are each their own unit", "[llvm][regions]") {
    const Block a = counting_block(0x100, 0x200), b = counting_block(0x200, 0x300), c = counting_block(0x300, 0x100);
    const Block d = counting_block(0x500, 0x500);
    std::array<ChainSlots, 4> chains = {};
    jit::LlvmBackend backend(MemoryModel::kFlat, nullptr);
    const std::vector<std::vector<RegionBlock>> regions = {{{&a, &chains[0]}, {&b, &chains[1]}, {&c, &chains[2]}},
                                                           {{&d, &chains[3]}}};
    const auto code = backend.compile_regions(regions);
    REQUIRE(code.size() == 2);
    CHECK(code[0]->direct_entry() != code[1]->direct_entry());
    CHECK(code[0]->host_size() > 0);
    CHECK(code[1]->host_size() > 0);

    TestEnv three;  // the first region's three blocks, then its backward jump
    run_with_exit_requested(*code[0], three);
    CHECK(three.r[0] == 3);
    CHECK(three.header.pc == 0x100);
    TestEnv one;  // the second region's one block, which jumps to itself
    run_with_exit_requested(*code[1], one);
    CHECK(one.r[0] == 1);
    CHECK(one.header.pc == 0x500);
}

TEST_CASE("llvm tier: a chained direct exit is not taken while an exit is requested", "[llvm][regions]") {
    // Two units, each the other's chained successor: without the check on its direct exit, the
    // first would run both in turn until r0 reaches 30.
    const Block a = counting_block(0x100, 0x200), b = counting_block(0x200, 0x100);
    ChainSlots chain_a = {nullptr, nullptr}, chain_b = {nullptr, nullptr};
    jit::LlvmBackend backend(MemoryModel::kFlat, nullptr);
    const auto code_a = backend.compile(a, &chain_a);
    const auto code_b = backend.compile(b, &chain_b);
    chain_a[0].store(code_b->direct_entry());
    chain_b[0].store(code_a->direct_entry());
    TestEnv env;
    run_with_exit_requested(*code_a, env);
    CHECK(env.r[0] == 1);
    CHECK(env.header.pc == 0x200);
}
