// Jumps between the blocks of one compiled region: forward ones are plain branches, and only a
// backward one (which every loop inside the unit passes) checks whether the vCPU must come back.
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <vector>

#include "backends/llvm/llvm_backend.h"
#include "ir/builder.h"

using namespace mimic;
using namespace mimic::ir;

namespace {

struct TestEnv {
    CpuHeader header;
    uint64_t r[1] = {};
};

const std::array<GlobalInfo, 1> kGlobals = {{{"r0", offsetof(TestEnv, r), Type::kI64}}};

// A block at `pc` that adds 1 to r0 and jumps to `next` through its direct exit 0.
Block counting_block(uint64_t pc, uint64_t next) {
    Block block(kGlobals, pc, 0);
    Builder b(block);
    b.insn_start(pc);
    b.set_global(0, b.add(b.get_global(0), Builder::i64(1)));
    b.goto_tb(0, next);
    return block;
}

}  // namespace

TEST_CASE("llvm tier: a region checks for a requested exit on its backward jumps only", "[llvm][regions]") {
    // 0x100 -> 0x200 -> 0x300 -> 0x100, in that order in the region: one loop, one backward jump.
    const Block a = counting_block(0x100, 0x200), b = counting_block(0x200, 0x300), c = counting_block(0x300, 0x100);
    std::array<ChainSlots, 3> chains = {};
    jit::LlvmBackend backend(MemoryModel::kFlat, nullptr);
    auto code = backend.compile_region({{&a, &chains[0]}, {&b, &chains[1]}, {&c, &chains[2]}});

    TestEnv env;
    env.header.exit_request.store(1);  // asked before the unit starts: it leaves at the first check
    const BlockExit exit = code->run(&env.header);
    CHECK(exit.kind == BlockExit::Kind::kGotoTb);
    // The forward jumps ran without a check: all three blocks ran once, and the unit left on the
    // backward jump, at its target, with r0 written back.
    CHECK(env.r[0] == 3);
    CHECK(env.header.pc == 0x100);
}
