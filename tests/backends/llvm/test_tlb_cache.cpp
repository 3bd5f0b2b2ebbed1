// System mode's load sites in tier-up regions remember their last translation
// (Lowering::cached_translation): a loop translates a page once, a new page again, and after any
// call, which may change the TLB, every site translates again. Store sites do the same only when
// no other thread changes the TLB (LowerOptions::private_tlb, a machine with one hart).
#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "backends/llvm/llvm_backend.h"
#include "ir/builder.h"
#include "ir/helper.h"
#include "softmmu/tlb.h"

using namespace mimic;
using namespace mimic::ir;

namespace {

// r0: the address, r1: the sum of what was loaded, r2: iterations left (what is stored).
struct TlbEnv {
    CpuHeader header;
    uint64_t r[3] = {};
    uint64_t swaps = 0;  // swap_page_a's calls
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
    e.write = page;
    e.addend = reinterpret_cast<uintptr_t>(host) - page;
}

// Repoints page A from host page 2 (1s) to 1 (7s) and back, in turn: a call that changes the TLB.
uint64_t swap_page_a(CpuHeader* env, uint64_t, uint64_t, uint64_t, uint64_t) {
    softmmu::TlbEntry& e = env->tlb->entry(0, kPageA);
    const bool on_page_2 = reinterpret_cast<TlbEnv*>(env)->swaps++ % 2 == 0;
    e.addend += on_page_2 ? -4096 : 4096;
    return 0;
}
const HelperInfo kSwap{"swap_page_a", &swap_page_a, kHelperNoReadGlobals | kHelperNoWriteGlobals, Type::kI64, 0, {}};

// loop: r1 += [r0] (or [r0] = r2); (swap_page_a();) r0 += step; r2 -= 1; if r2 != 0 goto loop;
// leave for kOut
Block loop(uint64_t step, bool swap, bool store = false) {
    Block block(kRegs, kLoop, 0);
    Builder b(block);
    b.insn_start(kLoop);
    if (store)
        b.store(MemOp::u64(), b.get_global(0), b.get_global(2));
    else
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

// A vCPU whose TLB maps A to host page 2 and B to host page 0, about to run a loop from r0 = start
// for n iterations.
struct Rig {
    std::unique_ptr<HostPages> pages = std::make_unique<HostPages>();
    std::unique_ptr<softmmu::SoftTlb> tlb = std::make_unique<softmmu::SoftTlb>();
    std::unique_ptr<std::array<JumpCacheEntry, size_t{1} << kJumpCacheBits>> jump_cache =
        std::make_unique<std::array<JumpCacheEntry, size_t{1} << kJumpCacheBits>>();
    TlbEnv env;

    Rig(uint64_t start, uint64_t n) {
        map(*tlb, kPageA, pages->words[2]);
        map(*tlb, kPageB, pages->words[0]);
        env.header.tlb = tlb.get();
        env.header.jump_cache = jump_cache->data();
        env.r[0] = start;
        env.r[2] = n;
    }
    // The loop compiled as a tier-up region, run once.
    BlockExit run(const Block& block, bool private_tlb = false) {
        ChainSlots chain = {};
        jit::LlvmBackend backend(MemoryModel::kSoftTlb, nullptr, private_tlb);
        return backend.compile_region({{&block, &chain}})->run(&env.header);
    }
    // Runs it to its end; the loop must leave for kOut.
    void run_to_end(const Block& block, bool private_tlb = false) {
        const BlockExit exit = run(block, private_tlb);
        CHECK(exit.kind == BlockExit::Kind::kGotoTb);
        CHECK(env.header.pc == kOut);
    }
};

// Returns r1, the sum of what a load loop loaded.
uint64_t run(const Block& block, uint64_t start, uint64_t n) {
    Rig rig(start, n);
    rig.run_to_end(block);
    return rig.env.r[1];
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

TEST_CASE("llvm tier: with one hart, a store in a loop translates each new page it reaches", "[llvm][regions]") {
    // Every word of A, then every word of B, storing 1024 down to 1.
    Rig rig(kPageA, 1024);
    rig.run_to_end(loop(8, false, true), true);
    for (int w = 0; w < 512; ++w) {
        CHECK(rig.pages->words[2][w] == uint64_t(1024 - w));  // A
        CHECK(rig.pages->words[0][w] == uint64_t(512 - w));   // B
        CHECK(rig.pages->words[1][w] == 7);
        CHECK(rig.pages->words[3][w] == 7);
    }
}

TEST_CASE("llvm tier: with one hart, after a call a store translates its page again", "[llvm][regions]") {
    // The same word of A a hundred times, storing 100 down to 1, its page repointed by a call after
    // each store: the odd iterations store to host page 2 (the last: 2), the even ones to page 1.
    Rig rig(kPageA, 100);
    rig.run_to_end(loop(0, true, true), true);
    CHECK(rig.pages->words[2][0] == 2);
    CHECK(rig.pages->words[1][0] == 1);
}

TEST_CASE("llvm tier: with more harts, a store sees a page marked slow in the middle of a loop", "[llvm][regions]") {
    // Another thread marks A slow (it gained code) while the loop stores to it: the store must see
    // the mark and leave (kRetry), long before the loop's 2^32 iterations are done.
    Rig rig(kPageA, uint64_t{1} << 32);
    std::thread other([&rig] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        rig.tlb->entry(0, kPageA).write.fetch_or(softmmu::kTlbSlow);
    });
    const BlockExit exit = rig.run(loop(0, false, true));
    other.join();
    CHECK(exit.kind == BlockExit::Kind::kRetry);
    CHECK(rig.env.header.pc == kLoop);
}

TEST_CASE("llvm tier: a misaligned load that crosses its page leaves the cached translation", "[llvm][regions]") {
    // Every 8 bytes of A from its fourth: each load reads the upper half of a word (0) and the
    // lower half of the next (1), until the last, which crosses into B and must leave (kRetry)
    // with the state from before it, not read past A's host page.
    Rig rig(kPageA + 4, 512);
    const BlockExit exit = rig.run(loop(8, false));
    CHECK(exit.kind == BlockExit::Kind::kRetry);
    CHECK(rig.env.header.pc == kLoop);
    CHECK(rig.env.r[0] == kPageA + 4092);
    CHECK(rig.env.r[1] == uint64_t{511} << 32);
}
