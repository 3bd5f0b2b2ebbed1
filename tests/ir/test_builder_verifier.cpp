// The Builder's folding as it emits, and the verifier's rules.
#include <catch2/catch.hpp>

#include "ir/verifier.h"
#include "tests/ir/ir_test_util.h"

using namespace mimic::ir;
using mimic::test::emit;
using mimic::test::kTestGlobals;

TEST_CASE("the builder folds constants and identities", "[ir][builder]") {
    Block block(kTestGlobals);
    Builder b(block);
    const Value r = b.get_global(0);
    CHECK(b.add(Builder::i64(2), Builder::i64(40)).is_const(42));
    CHECK(b.add(r, Builder::i64(0)) == r);
    CHECK(b.mul(r, Builder::i64(1)) == r);
    CHECK(b.and_(r, Builder::i64(0)).is_const(0));
    CHECK(b.xor_(r, r).is_const(0));
    CHECK(b.sub(Builder::i32(0), Builder::i32(1)).is_const(0xffffffff));
    CHECK(b.div_u(Builder::i64(5), Builder::i64(0)).is_const(~uint64_t(0)));
    CHECK(b.cmp(Cond::kLtS, Builder::i32(0xffffffff), Builder::i32(0)).is_const(1));
    CHECK(b.cmp(Cond::kLtU, Builder::i32(0xffffffff), Builder::i32(0)).is_const(0));
    CHECK(b.extend_s(Builder::i32(0x80000000)).is_const(0xffffffff80000000ull));
    CHECK(b.select(Builder::i64(0), r, Builder::i64(7)).is_const(7));
    CHECK(block.insts().size() == 1);  // only the GetGlobal was emitted
}

TEST_CASE("the verifier accepts a well-formed block", "[ir][verifier]") {
    Block block(kTestGlobals);
    Builder b(block);
    b.set_global(4, b.truncate(b.get_global(0)));
    b.goto_tb(0, 4);
    CHECK_FALSE(verify(block));
}

TEST_CASE("the verifier rejects broken blocks", "[ir][verifier]") {
    SECTION("no exit at the end") {
        Block block(kTestGlobals);
        Builder b(block);
        b.set_global(0, Builder::i64(1));
        REQUIRE(verify(block));
        CHECK(*verify(block) == "block does not end with an exit");
    }
    SECTION("operand type mismatch") {
        Block block(kTestGlobals);
        Builder b(block);
        emit(b, Opcode::kAdd, Type::kI64, {Builder::i64(1), Builder::i32(1)});
        b.goto_tb(0, 0);
        REQUIRE(verify(block));
        CHECK(verify(block)->find("operand 1 is i32, expected i64") != std::string::npos);
    }
    SECTION("wrong global type") {
        Block block(kTestGlobals);
        Builder b(block);
        b.set_global(4, Builder::i64(1));
        b.goto_tb(0, 0);
        REQUIRE(verify(block));
        CHECK(verify(block)->find("global w0 is i32") != std::string::npos);
    }
    SECTION("a value used where its definition does not dominate") {
        Block block(kTestGlobals);
        Builder b(block);
        const uint32_t l = b.new_label();
        b.branch_if(b.get_global(0), l);
        const Value v = b.get_global(1);  // skipped when the branch is taken
        b.bind(l);
        b.set_global(2, v);
        b.goto_tb(0, 0);
        REQUIRE(verify(block));
        CHECK(verify(block)->find("does not dominate") != std::string::npos);
    }
    SECTION("a branch to a label that is never bound") {
        Block block(kTestGlobals);
        Builder b(block);
        b.branch_if(b.get_global(0), b.new_label());
        b.goto_tb(0, 0);
        REQUIRE(verify(block));
        CHECK(*verify(block) == "label L0 is never bound");
    }
    SECTION("code after a terminator") {
        Block block(kTestGlobals);
        Builder b(block);
        b.goto_tb(0, 0);
        b.set_global(0, Builder::i64(1));
        b.goto_tb(1, 0);
        REQUIRE(verify(block));
        CHECK(verify(block)->find("unreachable code after a terminator") != std::string::npos);
    }
    SECTION("extension from an impossible width") {
        Block block(kTestGlobals);
        Builder b(block);
        emit(b, Opcode::kSignExtend, Type::kI32, {Builder::i32(1)}, 32);
        b.goto_tb(0, 0);
        REQUIRE(verify(block));
        CHECK(verify(block)->find("cannot extend from 32 bits") != std::string::npos);
    }
}
