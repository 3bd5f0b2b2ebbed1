// A helper that lists the guest registers it touches (kHelperListedGlobals, as RISC-V's F/D
// helpers list fflags and frm): every backend gives it those registers in sync and reads them
// back after it, while the others may stay in host registers; global forwarding forgets only them.
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <memory>

#include "backends/interp/interp.h"
#include "backends/llvm/llvm_backend.h"
#include "ir/builder.h"
#include "ir/passes/passes.h"

using namespace mimic;
using namespace mimic::ir;

namespace {

struct TestEnv {
    CpuHeader header;
    uint64_t r[3] = {};
};

const std::array<GlobalInfo, 3> kGlobals = {{
    {"r0", offsetof(TestEnv, r) + 0, Type::kI64},
    {"r1", offsetof(TestEnv, r) + 8, Type::kI64},
    {"r2", offsetof(TestEnv, r) + 16, Type::kI64},
}};

// Accrues into r1 (listed) what it saw there, as an FP helper ORs into fflags; returns r1's old value.
uint64_t helper_accrue(CpuHeader* env, uint64_t bits, uint64_t, uint64_t, uint64_t) {
    auto* e = reinterpret_cast<TestEnv*>(env);
    const uint64_t old = e->r[1];
    e->r[1] = old * 10 + bits;
    return old;
}

constexpr HelperInfo kAccrue = [] {
    HelperInfo h{"accrue", helper_accrue, kHelperListedGlobals, Type::kI64, 1, {Type::kI64}};
    h.global_count = 1;
    h.globals = {1};
    return h;
}();

// r0 = 5; r1 = 7; old = accrue(3); r2 = r0 + r1 + old (r1 read again: 73).
Block make_block() {
    Block block(kGlobals);
    Builder b(block);
    b.insn_start(0x100);
    b.set_global(0, Builder::i64(5));
    b.set_global(1, Builder::i64(7));
    const Value old = b.call(kAccrue, {Builder::i64(3)});
    b.set_global(2, b.add(b.add(b.get_global(0), b.get_global(1)), old));
    b.goto_tb(0, 0x104);
    global_forwarding(block);
    return block;
}

}  // namespace

TEST_CASE("global forwarding forgets only the registers a helper lists", "[ir][passes]") {
    const Block block = make_block();
    unsigned reads_of_r0 = 0, reads_of_r1 = 0;
    for (uint32_t i = 0; i < block.insts().size(); ++i) {
        if (block.is_erased(i) || block.insts()[i].op != Opcode::kGetGlobal) continue;
        reads_of_r0 += block.insts()[i].aux == 0;
        reads_of_r1 += block.insts()[i].aux == 1;
    }
    CHECK(reads_of_r0 == 0);  // still known after the call: forwarded from the Set
    CHECK(reads_of_r1 == 1);  // the helper may have changed it
}

TEST_CASE("a helper with listed globals sees them in sync and its writes are read back, on every tier",
          "[interp][llvm]") {
    interp::InterpreterBackend interp_backend;
    jit::LlvmBackend llvm_backend(MemoryModel::kFlat, nullptr);
    for (Backend* backend : {static_cast<Backend*>(&interp_backend), static_cast<Backend*>(&llvm_backend)}) {
        INFO(backend->name());
        const Block block = make_block();
        TestEnv env;
        const BlockExit exit = backend->compile(block)->run(&env.header);
        CHECK(exit.kind == BlockExit::Kind::kGotoTb);
        CHECK(env.r[0] == 5);
        CHECK(env.r[1] == 73);
        CHECK(env.r[2] == 5 + 73 + 7);
    }
}
