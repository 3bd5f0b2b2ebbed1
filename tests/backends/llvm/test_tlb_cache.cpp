// System mode's load sites in tier-up regions remember their last translation
// (Lowering::cached_translation): a loop translates a page once, a new page again, and after any
// call, which may change the TLB, every site translates again.
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "backends/llvm/llvm_backend.h"
#include "ir/builder.h"
#include "ir/helper.h"
#include "softmmu/tlb.h"

using namespace mimic;
using namespace mimic::ir;

namespace {

// r0: the address, r1: the sum of what was loaded, r2: iterations left.
struct TlbEnv {
    CpuHeader header;
    uint64_t r[3] = {};
};
const std::array<GlobalInfo, 3> kRegs = {{{"r0", offsetof(TlbEnv, r), Type::kI64},
                                          {"r1", offsetof(TlbEnv, r) + 8, Type::kI64},
                                          {"r2", offsetof(TlbEnv, r) + 16, Type::kI64}}};

constexpr uint64_t kLoop = 0x100, kOut = 0x900;
constexpr uint64_t kPageA = 0x10000, kPageB = 0x11000;  // guest virtual pages

// Four host pages of u64 words: A's words are 1, B's 1000, and the pages around them 7, so a
// load through the wrong addend adds 7s.
struct HostPages {
    alignas(4096) uint64_t words[4][512];
    HostPages() {
        const uint64_t values[4] = {1000, 7, 1, 7};
        for (int p = 0; p < 4; ++p)
            for (uint64_t& w : words[p]) w = values[p];
    }
};

void map(softmmu::SoftTlb& tlb, uint64_t page, const void* host) {
    softmmu::TlbEntry& e = tlb.entry(0, page);
    e.read = page;
    e.addend = reinterpret_cast<uintptr_t>(host) - page;
}

// Repoints page A between host pages 2 (1s) and 1 (7s): a call that changes the TLB.
uint64_t swap_page_a(CpuHeader* env, uint64_t, uint64_t, uint64_t, uint64_t) {
    softmmu::TlbEntry& e = env->tlb->entry(0, kPageA);
    const auto* host = reinterpret_cast<const uint64_t*>(e.addend + kPageA);
    const bool on_ones = host[0] == 1;
    e.addend = reinterpret_cast<uintptr_t>(on_ones ? host - 512 : host + 512) - kPageA;
    return 0;
}
const HelperInfo kSwap{"swap_page_a", &swap_page_a, kHelperNoReadGlobals | kHelperNoWriteGlobals, Type::kI64, 0, {}};

// loop: r1 += [r0]; (swap_page_a();) r0 += step; r2 -= 1; if r2 != 0 goto loop; leave for kOut
Block loop(uint64_t step, bool swap) {
    Block block(kRegs, kLoop, 0);
    Builder b(block);
    b.insn_start(kLoop);
    b.set_global(1, b.add(b.get_global(1), b.load(Type::kI64, MemOp::u64(), b.get_global(0))));
    if (swap) b.call(kSwap, {});
    b.set_global(0, b.add(b.get_global(0), Builder::i64(step)));
    const Value left = b.sub(b.get_global(2), Builder::i64(1));
    b.set_global(2, left);
    const uint32_t out = block.new_label();
    b.branch_if(b.cmp(Cond::kEq, left, Builder::i64(0)), out);
    b.goto_tb(0, kLoop);
    b.bind(out);
    b.goto_tb(1, kOut);
    return block;
}

// Runs the loop, compiled as a tier-up region, from r0 = start for n iterations; returns r1.
uint64_t run(const Block& block, uint64_t start, uint64_t n) {
    ChainSlots chain = {};
    jit::LlvmBackend backend(MemoryModel::kSoftTlb, nullptr);
    auto code = backend.compile_region({{&block, &chain}});
    auto pages = std::make_unique<HostPages>();
    auto tlb = std::make_unique<softmmu::SoftTlb>();
    map(*tlb, kPageA, pages->words[2]);
    map(*tlb, kPageB, pages->words[0]);
    auto jump_cache = std::make_unique<std::array<JumpCacheEntry, size_t{1} << kJumpCacheBits>>();
    TlbEnv env;
    env.header.tlb = tlb.get();
    env.header.jump_cache = jump_cache->data();
    env.r[0] = start;
    env.r[2] = n;
    const BlockExit exit = code->run(&env.header);
    CHECK(exit.kind == BlockExit::Kind::kGotoTb);
    CHECK(env.header.pc == kOut);
    return env.r[1];
}

}  // namespace

TEST_CASE("llvm tier: a load in a loop translates each new page it reaches", "[llvm][regions]") {
    // Every word of A, then every word of B: the pages are not adjacent on the host.
    CHECK(run(loop(8, false), kPageA, 1024) == 512 * 1 + 512 * 1000);
}

TEST_CASE("llvm tier: after a call, a load translates its page again", "[llvm][regions]") {
    // The same word of A a hundred times, its page repointed by a call after each load.
    CHECK(run(loop(0, true), kPageA, 100) == 50 * 1 + 50 * 7);
}
