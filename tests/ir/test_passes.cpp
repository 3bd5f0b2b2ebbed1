// Golden IR before and after each pass.
#include <catch2/catch.hpp>

#include "ir/passes/passes.h"
#include "ir/verifier.h"
#include "tests/ir/ir_test_util.h"

using namespace mimic;
using namespace mimic::ir;
using mimic::test::body;
using mimic::test::emit;
using mimic::test::kTestGlobals;

TEST_CASE("constant propagation folds what became constant", "[ir][passes]") {
    Block block(kTestGlobals);
    Builder b(block);
    const Value a = emit(b, Opcode::kAdd, Type::kI64, {Builder::i64(2), Builder::i64(3)});
    const Value m = emit(b, Opcode::kMul, Type::kI64, {a, Builder::i64(4)});
    b.set_global(0, m);
    b.goto_tb(0, 0x100);
    CHECK(body(block) ==
          "  %0:i64 = Add 2, 3\n"
          "  %1:i64 = Mul %0, 4\n"
          "  SetGlobal.r0 %1\n"
          "  GotoTb.slot0 0x100\n");
    constant_propagation(block);
    block.compact();
    CHECK(body(block) ==
          "  SetGlobal.r0 0x14\n"
          "  GotoTb.slot0 0x100\n");
    CHECK_FALSE(verify(block));
}

TEST_CASE("global forwarding reuses known register values until a label", "[ir][passes]") {
    Block block(kTestGlobals);
    Builder b(block);
    const Value r1 = b.get_global(1);
    const Value sum = b.add(r1, Builder::i64(1));
    b.set_global(0, sum);
    const Value again = b.get_global(0);  // known: sum
    const Value r1b = b.get_global(1);    // known: r1
    b.set_global(2, b.add(again, r1b));
    const uint32_t l = b.new_label();
    b.branch_if(r1, l);
    b.goto_tb(0, 0x10);
    b.bind(l);
    b.set_global(3, b.get_global(0));  // after a label: must be read again
    b.goto_tb(1, 0x20);
    global_forwarding(block);
    block.compact();
    CHECK(body(block) ==
          "  %0:i64 = GetGlobal.r1\n"
          "  %1:i64 = Add %0, 1\n"
          "  SetGlobal.r0 %1\n"
          "  %3:i64 = Add %1, %0\n"
          "  SetGlobal.r2 %3\n"
          "  BranchIf.L0 %0\n"
          "  GotoTb.slot0 0x10\n"
          "  Label.L0\n"
          "  %8:i64 = GetGlobal.r0\n"
          "  SetGlobal.r3 %8\n"
          "  GotoTb.slot1 0x20\n");
    CHECK_FALSE(verify(block));
}

TEST_CASE("dead global stores go, but not across an op that may raise", "[ir][passes]") {
    Block block(kTestGlobals);
    Builder b(block);
    b.set_global(0, Builder::i64(1));  // dead: overwritten below with nothing in between
    b.set_global(0, Builder::i64(2));  // live: the load may fault and must see r0 = 2
    const Value v = b.load(Type::kI64, MemOp::u64(), Builder::i64(0x1000));
    b.set_global(1, v);  // dead: overwritten before the exit
    b.set_global(0, Builder::i64(3));
    b.set_global(1, Builder::i64(4));
    b.goto_tb(0, 0x40);
    dead_global_store_elimination(block);
    block.compact();
    CHECK(body(block) ==
          "  SetGlobal.r0 2\n"
          "  %1:i64 = Load.u64 0x1000\n"
          "  SetGlobal.r0 3\n"
          "  SetGlobal.r1 4\n"
          "  GotoTb.slot0 0x40\n");
    CHECK_FALSE(verify(block));
}

TEST_CASE("a register written back as it was read goes, unless written in between", "[ir][passes]") {
    Block block(kTestGlobals);
    Builder b(block);
    const Value r0 = b.get_global(0);
    const Value r1 = b.get_global(1);
    b.set_global(2, r0);
    b.set_global(0, r0);  // as read: goes
    b.set_global(1, Builder::i64(7));
    b.set_global(1, r1);  // r1 was overwritten in between: stays
    b.goto_tb(0, 0x40);
    redundant_global_store_elimination(block);
    block.compact();
    CHECK(body(block) ==
          "  %0:i64 = GetGlobal.r0\n"
          "  %1:i64 = GetGlobal.r1\n"
          "  SetGlobal.r2 %0\n"
          "  SetGlobal.r1 7\n"
          "  SetGlobal.r1 %1\n"
          "  GotoTb.slot0 0x40\n");
    CHECK_FALSE(verify(block));
}

TEST_CASE("a mask that keeps every bit a register can hold goes", "[ir][passes]") {
    std::array<GlobalInfo, 5> globals = kTestGlobals;
    globals[1].valid_bits = 0x1f;
    Block block(globals);
    Builder b(block);
    const Value r1 = b.get_global(1);
    b.set_global(2, b.and_(r1, Builder::i64(0x1f)));               // all of r1's bits: goes
    b.set_global(3, b.and_(r1, Builder::i64(0xf)));                // stays
    b.set_global(0, b.and_(b.get_global(0), Builder::i64(0x1f)));  // r0 may hold any bits: stays
    b.goto_tb(0, 0x40);
    constant_propagation(block);
    block.compact();
    CHECK(body(block) ==
          "  %0:i64 = GetGlobal.r1\n"
          "  SetGlobal.r2 %0\n"
          "  %2:i64 = And %0, 0xf\n"
          "  SetGlobal.r3 %2\n"
          "  %4:i64 = GetGlobal.r0\n"
          "  %5:i64 = And %4, 0x1f\n"
          "  SetGlobal.r0 %5\n"
          "  GotoTb.slot0 0x40\n");
    CHECK_FALSE(verify(block));
}

TEST_CASE("dead code elimination removes unused pure values, keeps loads", "[ir][passes]") {
    Block block(kTestGlobals);
    Builder b(block);
    const Value r = b.get_global(1);
    const Value unused = emit(b, Opcode::kMul, Type::kI64, {r, r});
    emit(b, Opcode::kAdd, Type::kI64, {unused, Builder::i64(1)});
    b.load(Type::kI64, MemOp::u64(), r);  // unused, but it may fault
    b.goto_tb(0, 0x8);
    dead_code_elimination(block);
    block.compact();
    CHECK(body(block) ==
          "  %0:i64 = GetGlobal.r1\n"
          "  %1:i64 = Load.u64 %0\n"
          "  GotoTb.slot0 8\n");
}

TEST_CASE("the pipeline reports each pass and leaves a verified block", "[ir][passes]") {
    Block block(kTestGlobals);
    Builder b(block);
    b.set_global(0, b.add(b.get_global(0), Builder::i64(1)));
    b.set_global(0, b.add(b.get_global(0), Builder::i64(1)));
    b.goto_tb(0, 0x8);
    std::vector<std::string> seen;
    optimize(block, [&](std::string_view pass, const Block&) { seen.emplace_back(pass); });
    CHECK(seen == std::vector<std::string>{"global_forwarding", "constant_propagation", "dead_global_store_elimination",
                                           "redundant_global_store_elimination", "dead_code_elimination"});
    CHECK(body(block) ==
          "  %0:i64 = GetGlobal.r0\n"
          "  %1:i64 = Add %0, 1\n"
          "  %2:i64 = Add %1, 1\n"
          "  SetGlobal.r0 %2\n"
          "  GotoTb.slot0 8\n");
    CHECK_FALSE(verify(block));
}
