// The baseline tier on hand-built IR: temporaries it keeps in host registers survive the calls
// between their definition and their use (helpers, and the interpreter for ops without a template),
// and guest registers it caches in host registers are read again after whatever else wrote them.
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>

#include "backends/baseline/baseline.h"
#include "ir/builder.h"
#include "tests/backends/counting_block.h"
#include "tests/backends/four_register_env.h"

using namespace mimic;
using namespace mimic::ir;

namespace {

using TestEnv = test::FourRegisterEnv;
const auto& kGlobals = test::kFourRegisters;

// A helper that writes every caller-saved register the baseline tier might keep a value in.
uint64_t helper_clobber(CpuHeader*, uint64_t a, uint64_t b, uint64_t, uint64_t) {
    __asm__ volatile("mov $-1, %%r8\n\tmov $-1, %%r9\n\tmov $-1, %%r10\n\tmov $-1, %%r11" ::: "r8", "r9", "r10", "r11");
    return a * 3 + b;
}
constexpr HelperInfo kClobber{
    "clobber", helper_clobber,          kHelperPure | kHelperNoReadGlobals | kHelperNoWriteGlobals, Type::kI64,
    2,         {Type::kI64, Type::kI64}};

// A helper that writes guest register r1 through env, as CSR and FP-status helpers do.
uint64_t helper_set_r1(CpuHeader* env, uint64_t v, uint64_t, uint64_t, uint64_t) {
    reinterpret_cast<TestEnv*>(env)->r[1] = v;
    return 0;
}
constexpr HelperInfo kSetR1{"set_r1", helper_set_r1, kHelperNoReadGlobals, Type::kVoid, 1, {Type::kI64}};

uint64_t run_baseline(Block& block, TestEnv& env) {
    baseline::BaselineBackend backend(MemoryModel::kFlat);
    CHECK(backend.compile(block)->run(&env.header).kind == BlockExit::Kind::kGotoTb);
    return env.r[0];
}

}  // namespace

TEST_CASE("baseline: temporaries live across a helper call and an interpreted op keep their values", "[baseline]") {
    Block block(kGlobals);
    Builder b(block);
    const Value r1 = b.get_global(1);
    // Five temporaries, more than the tier has registers for, each used after the call and the
    // division (which has no template and runs in the interpreter).
    std::array<Value, 5> t{};
    for (size_t i = 0; i < t.size(); ++i) t[i] = b.add(r1, Builder::i64(i + 1));
    const Value called = b.call(kClobber, {t[0], t[1]});
    const Value quotient = b.div_u(t[2], t[3]);
    Value sum = b.add(called, quotient);
    for (const Value& v : t) sum = b.add(sum, b.add(v, v));
    b.set_global(0, sum);
    b.goto_tb(0, 0);

    baseline::BaselineBackend backend(MemoryModel::kFlat);
    const auto compiled = backend.compile(block);
    for (uint64_t x : {uint64_t{0}, uint64_t{41}, uint64_t{1} << 40}) {
        TestEnv env;
        env.r[1] = x;
        CHECK(compiled->run(&env.header).kind == BlockExit::Kind::kGotoTb);
        uint64_t want = (x + 1) * 3 + (x + 2) + (x + 3) / (x + 4);
        for (uint64_t i = 1; i <= 5; ++i) want += 2 * (x + i);
        CHECK(env.r[0] == want);
    }
}

TEST_CASE("baseline: a cached guest register is read again after a helper or the interpreter wrote it", "[baseline]") {
    SECTION("a helper that may write guest registers") {
        Block block(kGlobals);
        Builder b(block);
        const Value before = b.get_global(1);
        b.set_global(2, b.add(before, Builder::i64(1)));  // r1 now in a host register
        b.call(kSetR1, {Builder::i64(100)});
        b.set_global(0, b.add(b.get_global(1), b.get_global(2)));
        b.goto_tb(0, 0);
        TestEnv env;
        env.r[1] = 5;
        CHECK(run_baseline(block, env) == 100 + 6);
    }
    SECTION("an op the interpreter runs, writing the register in place") {
        Block block(kGlobals);
        Builder b(block);
        const Value r2 = b.get_global(2);
        b.set_global(3, b.add(r2, Builder::i64(1)));    // r2 cached
        b.set_global(2, b.div_u(b.get_global(1), r2));  // interpreted, straight into r2's word
        b.set_global(0, b.add(b.get_global(2), Builder::i64(1000)));
        b.goto_tb(0, 0);
        TestEnv env;
        env.r[1] = 100, env.r[2] = 7;
        CHECK(run_baseline(block, env) == 100 / 7 + 1000);
        CHECK(env.r[3] == 8);
    }
}

TEST_CASE("baseline: where paths meet, a guest register is what the path taken left", "[baseline]") {
    Block block(kGlobals);
    Builder b(block);
    const Value r1 = b.get_global(1);
    const uint32_t join = b.new_label();
    b.branch_if(b.get_global(2), join);
    b.set_global(1, b.add(r1, Builder::i64(5)));  // cached on this path only
    b.bind(join);
    b.set_global(0, b.add(b.get_global(1), Builder::i64(1)));
    b.goto_tb(0, 0);
    for (uint64_t taken : {0, 1}) {
        TestEnv env;
        env.r[1] = 10, env.r[2] = taken;
        CHECK(run_baseline(block, env) == (taken ? 11u : 16u));
    }
}

TEST_CASE("baseline: a compare's result is kept where a path after its branch reads it", "[baseline]") {
    for (bool read_on_target : {false, true}) {
        Block block(kGlobals);
        Builder b(block);
        const Value less = b.cmp(Cond::kLtU, b.get_global(1), b.get_global(2));
        const uint32_t target = b.new_label();
        b.branch_if(less, target);
        if (!read_on_target) b.set_global(3, b.add(less, Builder::i64(10)));
        b.set_global(0, Builder::i64(1));
        b.goto_tb(0, 0);
        b.bind(target);
        if (read_on_target) b.set_global(3, b.add(less, Builder::i64(20)));
        b.set_global(0, Builder::i64(2));
        b.goto_tb(1, 0);
        for (uint64_t r1 : {3, 9}) {
            TestEnv env;
            env.r[1] = r1, env.r[2] = 5, env.r[3] = 77;
            baseline::BaselineBackend backend(MemoryModel::kFlat);
            backend.compile(block)->run(&env.header);
            const bool taken = r1 < 5;
            CHECK(env.r[0] == (taken ? 2u : 1u));
            if (taken == read_on_target)
                CHECK(env.r[3] == (read_on_target ? 21u : 10u));
            else
                CHECK(env.r[3] == 77u);
        }
    }
}

TEST_CASE("baseline: a chained direct exit is not taken while an exit is requested", "[baseline]") {
    // Two blocks, each the other's chained successor (test::counting_block): without the check on
    // the direct exit, the first would run both in turn until r0 reaches 30.
    const Block a = test::counting_block(kGlobals, 0x100, 0x200, 0x900);
    const Block b = test::counting_block(kGlobals, 0x200, 0x100, 0x900);
    ChainSlots chain_a = {nullptr, nullptr}, chain_b = {nullptr, nullptr};
    baseline::BaselineBackend backend(MemoryModel::kFlat);
    const auto code_a = backend.compile(a, &chain_a);
    const auto code_b = backend.compile(b, &chain_b);
    chain_a[0].store(code_b->direct_entry());
    chain_b[0].store(code_a->direct_entry());
    TestEnv env;
    env.header.exit_request.store(1);
    CHECK(code_a->run(&env.header).kind == BlockExit::Kind::kGotoTb);
    CHECK(env.r[0] == 1);
    CHECK(env.header.pc == 0x200);
}
