// The harness runs guest code on the tier MIMIC_TEST_TIER names: without this, the unit_llvm and
// unit_tiered variants of the frontend tests could silently be the interpreter again.
#include <catch2/catch.hpp>

#include "tests/frontends/riscv/encode.h"
#include "tests/frontends/riscv/harness.h"

using namespace mimic;
using namespace mimic::test;
using namespace mimic::test::rv;

TEST_CASE("the harness runs guest code on the tier MIMIC_TEST_TIER names", "[riscv][tiers]") {
    // x2 counts to x3 = 8 with an ecall in every round, so the test regains control each round
    // (and, tiered, each round finds the code that got hot in the previous one compiled):
    //   loop: addi x2,x2,1; ecall; bne x2,x3,loop; ebreak
    constexpr uint64_t kRounds = 8;
    RiscvMachine m;
    m.cpu.x[3] = kRounds;
    m.run({addi(2, 2, 1), 0x00000073, b_type(-8, 3, 2, 1)});
    uint64_t syscalls = 0;
    while (m.exit.kind == BlockExit::Kind::kExit && m.exit.reason == ir::ExitReason::kSyscall && syscalls < 100) {
        ++syscalls;
        CHECK(m.cpu.header.pc == RiscvMachine::kCode + 8);
        CHECK(m.cpu.x[2] == syscalls);
        m.resume();
    }
    REQUIRE(m.stopped_at_ebreak());
    CHECK(syscalls == kRounds);
    CHECK(m.cpu.header.pc == RiscvMachine::kCode + 12);

    // The loop's head block: what runs it now, and what the engine compiled in the background.
    const TranslationBlock* head = m.engine().find_block({RiscvMachine::kCode, RiscvMachine::kCode, 0});
    REQUIRE(head);
    const CompiledBlock* active = head->active.load();
    const bool host_code = active->direct_entry() != nullptr;  // the interpreter has none
    const bool upper_code = head->hot_code && active == head->hot_code.get();
    const EngineStats stats = m.engine().stats();
    switch (test_tier()) {
        case Tier::kInterp:
            CHECK_FALSE(host_code);
            CHECK(stats.tiered_up == 0);
            break;
        case Tier::kBaseline:
            CHECK(host_code);
            CHECK(active->counts_runs() == false);
            CHECK(stats.tiered_up == 0);
            break;
        case Tier::kLlvm:
            CHECK(host_code);
            CHECK_FALSE(head->code->counts_runs());
            CHECK(stats.tiered_up == 0);
            break;
        case Tier::kTiered:
            // Started in the interpreter, moved to the baseline tier, which counted the runs that
            // made it hot.
            CHECK(stats.warmed_up >= 1);
            CHECK(head->code->counts_runs());
            CHECK(upper_code);
            CHECK(stats.tiered_up >= 1);
            break;
        case Tier::kTieredAsync: break;  // how far tier-up got depends on the host's timing
    }
}

TEST_CASE("tiered mode interprets a block's IR as translated, which the interpreter tier alone optimizes",
          "[riscv][tiers]") {
    // x1 = (5 + 3) << 2: optimized, one store of the constant 32.
    auto first_code_size = [](Tier tier) {
        RiscvMachine m(256, true, tier, 100, 2000);  // tiered: still interpreted after one run
        m.run({addi(1, 0, 5), addi(1, 1, 3), opimm(1, 1, 1, 2)});
        REQUIRE(m.stopped_at_ebreak());
        CHECK(m.cpu.x[1] == 32);
        const TranslationBlock* tb = m.engine().find_block({RiscvMachine::kCode, RiscvMachine::kCode, 0});
        REQUIRE(tb);
        return tb->code->host_size();  // the interpreter's ops
    };
    CHECK(first_code_size(Tier::kTiered) > first_code_size(Tier::kInterp));
}
