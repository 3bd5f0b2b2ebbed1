// The interpreter tier on hand-built IR: every op at both widths, control flow, helpers, exits and
// faults, independent of any frontend.
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>

#include "backends/interp/interp.h"
#include "ir/builder.h"
#include "ir/verifier.h"
#include "user/address_space.h"

using namespace mimic;
using namespace mimic::ir;

namespace {

struct TestEnv {
    CpuHeader header;
    uint64_t r[4] = {};
    uint32_t w[2] = {};
};

const std::array<GlobalInfo, 6> kGlobals = {{
    {"r0", offsetof(TestEnv, r) + 0, Type::kI64},
    {"r1", offsetof(TestEnv, r) + 8, Type::kI64},
    {"r2", offsetof(TestEnv, r) + 16, Type::kI64},
    {"r3", offsetof(TestEnv, r) + 24, Type::kI64},
    {"w0", offsetof(TestEnv, w) + 0, Type::kI32},
    {"w1", offsetof(TestEnv, w) + 4, Type::kI32},
}};

BlockExit run(Block& block, TestEnv& env) {
    interp::InterpreterBackend backend;
    return backend.compile(block)->run(&env.header);
}

// r0 = op(r1, r2) at 64 bits, through unfolded IR.
uint64_t binary64(Opcode op, uint64_t a, uint64_t b, uint64_t aux = 0) {
    Block block(kGlobals);
    Builder bld(block);
    bld.set_global(0, bld.emit(Inst{op, Type::kI64, {bld.get_global(1), bld.get_global(2)}, aux}));
    bld.goto_tb(0, 0);
    TestEnv env;
    env.r[1] = a, env.r[2] = b;
    run(block, env);
    return env.r[0];
}

// w0 = op(w1, low 32 bits of r2) at 32 bits.
uint32_t binary32(Opcode op, uint32_t a, uint32_t b, uint64_t aux = 0) {
    Block block(kGlobals);
    Builder bld(block);
    bld.set_global(4, bld.emit(Inst{op, Type::kI32, {bld.get_global(5), bld.truncate(bld.get_global(2))}, aux}));
    bld.goto_tb(0, 0);
    TestEnv env;
    env.w[1] = a, env.r[2] = b;
    run(block, env);
    return env.w[0];
}

uint64_t helper_add3(CpuHeader*, uint64_t a, uint64_t b, uint64_t c, uint64_t) {
    return a + b + c;
}
uint64_t helper_fail(CpuHeader* env, uint64_t, uint64_t, uint64_t, uint64_t) {
    env->exception_pending = 1;
    env->exception_cause = 99;
    return 0;
}
constexpr HelperInfo kAdd3{"add3",     helper_add3, kHelperPure | kHelperNoReadGlobals | kHelperNoWriteGlobals,
                           Type::kI64, 3,           {Type::kI64, Type::kI64, Type::kI64}};
constexpr HelperInfo kFail{"fail", helper_fail, kHelperMayRaise, Type::kVoid, 0, {}};

}  // namespace

TEST_CASE("interpreter: 64-bit arithmetic", "[interp]") {
    CHECK(binary64(Opcode::kAdd, ~0ull, 2) == 1);
    CHECK(binary64(Opcode::kSub, 1, 2) == ~0ull);
    CHECK(binary64(Opcode::kMul, 1ull << 32, 1ull << 32) == 0);
    CHECK(binary64(Opcode::kMulHighU, 1ull << 32, 1ull << 32) == 1);
    CHECK(binary64(Opcode::kMulHighS, ~0ull, 2) == ~0ull);
    CHECK(binary64(Opcode::kMulHighSU, ~0ull, 2) == ~0ull);
    CHECK(binary64(Opcode::kDivS, uint64_t(-9), 2) == uint64_t(-4));
    CHECK(binary64(Opcode::kDivU, 9, 0) == ~0ull);
    CHECK(binary64(Opcode::kRemS, uint64_t(-9), 2) == uint64_t(-1));
    CHECK(binary64(Opcode::kRemU, 9, 0) == 9);
    CHECK(binary64(Opcode::kShl, 1, 64 + 3) == 8);  // amount modulo 64
    CHECK(binary64(Opcode::kShrS, 1ull << 63, 63) == ~0ull);
    CHECK(binary64(Opcode::kShrU, 1ull << 63, 63) == 1);
    CHECK(binary64(Opcode::kRotL, 1ull << 63, 1) == 1);
    CHECK(binary64(Opcode::kRotR, 1, 1) == 1ull << 63);
    CHECK(binary64(Opcode::kCmp, uint64_t(-1), 0, uint64_t(Cond::kLtS)) == 1);
    CHECK(binary64(Opcode::kCmp, uint64_t(-1), 0, uint64_t(Cond::kGtU)) == 1);
    CHECK(binary64(Opcode::kCmp, 5, 5, uint64_t(Cond::kNe)) == 0);
}

TEST_CASE("interpreter: 32-bit arithmetic stays in 32 bits", "[interp]") {
    CHECK(binary32(Opcode::kAdd, 0xffffffff, 2) == 1);
    CHECK(binary32(Opcode::kMulHighU, 0x80000000, 4) == 2);
    CHECK(binary32(Opcode::kDivS, 0x80000000, 0xffffffff) == 0x80000000);
    CHECK(binary32(Opcode::kRemS, 0x80000000, 0xffffffff) == 0);
    CHECK(binary32(Opcode::kShl, 1, 33) == 2);  // amount modulo 32
    CHECK(binary32(Opcode::kShrS, 0x80000000, 31) == 0xffffffff);
    CHECK(binary32(Opcode::kRotR, 1, 1) == 0x80000000);
    CHECK(binary32(Opcode::kCmp, 0x80000000, 0, uint64_t(Cond::kLtS)) == 1);
}

TEST_CASE("interpreter: unary ops and conversions", "[interp]") {
    Block block(kGlobals);
    Builder b(block);
    const Value r1 = b.get_global(1);
    auto un = [&](Opcode op, Type t, Value a, uint64_t aux = 0) { return b.emit(Inst{op, t, {a}, aux}); };
    b.set_global(0, un(Opcode::kClz, Type::kI64, r1));
    b.set_global(2, un(Opcode::kByteSwap, Type::kI64, r1));
    b.set_global(3, un(Opcode::kSignExtend, Type::kI64, r1, 8));
    const Value w = un(Opcode::kTruncate, Type::kI32, r1);
    b.set_global(4, un(Opcode::kPopcount, Type::kI32, w));
    b.set_global(5, un(Opcode::kCtz, Type::kI32, un(Opcode::kZeroExtend, Type::kI32, w, 4)));
    b.goto_tb(0, 0);
    TestEnv env;
    env.r[1] = 0x00000000000000f0ull;
    run(block, env);
    CHECK(env.r[0] == 56);
    CHECK(env.r[2] == 0xf000000000000000ull);
    CHECK(env.r[3] == 0xfffffffffffffff0ull);
    CHECK(env.w[0] == 4);
    CHECK(env.w[1] == 32);  // ctz of zero is the width
}

TEST_CASE("interpreter: branches, select and exits", "[interp]") {
    Block block(kGlobals);
    Builder b(block);
    const Value r1 = b.get_global(1);
    b.set_global(2, b.emit(Inst{Opcode::kSelect, Type::kI64, {r1, Builder::i64(10), Builder::i64(20)}}));
    const uint32_t l = b.new_label();
    b.branch_if(r1, l);
    b.exit(ExitReason::kSyscall, Builder::i64(0x1234));
    b.bind(l);
    b.lookup_and_goto(b.get_global(3));
    for (uint64_t cond : {0, 1}) {
        TestEnv env;
        env.r[1] = cond;
        env.r[3] = 0x5678;
        const BlockExit e = run(block, env);
        CHECK(env.r[2] == (cond ? 10u : 20u));
        CHECK(e.kind == (cond ? BlockExit::Kind::kLookup : BlockExit::Kind::kExit));
        CHECK(env.header.pc == (cond ? 0x5678u : 0x1234u));
    }
}

TEST_CASE("interpreter: helpers, and a raising helper leaves with its instruction's pc", "[interp]") {
    Block block(kGlobals);
    Builder b(block);
    b.insn_start(0x100);
    b.set_global(0, b.call(kAdd3, {b.get_global(1), Builder::i64(2), Builder::i64(3)}));
    b.insn_start(0x104);
    b.call(kFail, {});
    b.set_global(1, Builder::i64(0));  // never reached
    b.goto_tb(0, 0x108);
    TestEnv env;
    env.r[1] = 1;
    const BlockExit e = run(block, env);
    CHECK(env.r[0] == 6);
    CHECK(e.kind == BlockExit::Kind::kException);
    CHECK(env.header.pc == 0x104);
    CHECK(env.header.exception_cause == 99);
    CHECK(env.r[1] == 1);
}

TEST_CASE("interpreter: memory fast path, slow path and faults", "[interp]") {
    user::AddressSpace as(24);
    REQUIRE(as.map_anonymous(0x1000, 0x1000, user::kProtRead | user::kProtWrite));
    Block block(kGlobals);
    Builder b(block);
    b.insn_start(0x40);
    b.store(MemOp::u32(), Builder::i64(0x1ffe), b.get_global(1));  // crosses into an unmapped page
    b.goto_tb(0, 0x44);
    Block ok(kGlobals);
    Builder o(ok);
    o.store(MemOp::u16(), Builder::i64(0x1010), o.get_global(1));
    o.set_global(2, o.load(Type::kI64, MemOp::s16(), Builder::i64(0x1010)));
    o.set_global(3, o.load(Type::kI64, MemOp::u8(), Builder::i64(0x1011)));
    o.goto_tb(0, 0);

    TestEnv env;
    as.attach(env.header);
    env.r[1] = 0xabcd8001;
    CHECK(run(ok, env).kind == BlockExit::Kind::kGotoTb);
    CHECK(env.r[2] == 0xffffffffffff8001ull);
    CHECK(env.r[3] == 0x80);
    const BlockExit e = run(block, env);
    CHECK(e.kind == BlockExit::Kind::kException);
    CHECK(env.header.exception_pending == user::kMemoryFault);
    CHECK(env.header.exception_tval == 0x2000);  // the first byte that is not writable
    CHECK(env.header.pc == 0x40);
}

TEST_CASE("interpreter: an address Add folds into its access, at every size, sign and page edge", "[interp]") {
    user::AddressSpace as(24);
    REQUIRE(as.map_anonymous(0x1000, 0x1000, user::kProtRead | user::kProtWrite));
    TestEnv env;
    as.attach(env.header);
    // r0 = load(m, r1 + disp) after store(m, r1 + disp, r2); r3 = r1 + 8, a second use of an
    // Add that therefore stays an op of its own.
    auto round_trip = [&](MemOp m, int64_t disp, uint64_t base, uint64_t value) {
        Block block(kGlobals);
        Builder b(block);
        b.insn_start(0x40);
        b.store(m, b.add(b.get_global(1), Builder::i64(uint64_t(disp))), b.get_global(2));
        b.insn_start(0x44);
        b.set_global(0, b.load(Type::kI64, m, b.add(b.get_global(1), Builder::i64(uint64_t(disp)))));
        const Value shared = b.add(b.get_global(1), Builder::i64(8));
        b.set_global(3, shared);
        b.store(MemOp::u64(), shared, b.get_global(2));
        b.goto_tb(0, 0x48);
        interp::InterpreterBackend backend;
        auto code = backend.compile(block);
        INFO(code->dump());
        env.r[1] = base, env.r[2] = value, env.r[0] = env.r[3] = 0;
        return code->run(&env.header);
    };
    const struct {
        MemOp m;
        uint64_t expect;
    } kCases[] = {{MemOp::u8(), 0x81},
                  {MemOp::s8(), 0xffffffffffffff81ull},
                  {MemOp::u16(), 0x8081},
                  {MemOp::s16(), 0xffffffffffff8081ull},
                  {MemOp::u32(), 0x80808081},
                  {MemOp::s32(), 0xffffffff80808081ull},
                  {MemOp::u64(), 0x8080808080808081ull}};
    for (const auto& c : kCases) {
        INFO("size " << c.m.size() << " sign " << c.m.sign);
        CHECK(round_trip(c.m, -16, 0x1810, 0x8080808080808081ull).kind == BlockExit::Kind::kGotoTb);
        CHECK(env.r[0] == c.expect);
        CHECK(env.r[3] == 0x1818);
        // The last bytes of the page, then one past: the access crosses into the unmapped page.
        const uint64_t last = 0x2000 - c.m.size();
        CHECK(round_trip(c.m, 0x100, last - 0x100, 0x8080808080808081ull).kind == BlockExit::Kind::kGotoTb);
        CHECK(env.r[0] == c.expect);
        CHECK(round_trip(c.m, 0x100, last - 0xff, 1).kind == BlockExit::Kind::kException);
        CHECK(env.header.exception_tval == 0x2000);
        CHECK(env.header.pc == 0x40);  // the store's instruction, with the displacement's address
    }
    // Loads alone across the page's end: into an unmapped page they fault with the first bad
    // address and leave their destination alone; between two mapped pages the slow path reads
    // both and extends the value as the fast path does.
    REQUIRE(as.map_anonymous(0x3000, 0x1000, user::kProtRead | user::kProtWrite));
    REQUIRE(as.map_anonymous(0x4000, 0x1000, user::kProtRead | user::kProtWrite));
    const uint8_t bytes[8] = {0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80};
    auto load_at = [&](MemOp m, uint64_t addr) {
        Block block(kGlobals);
        Builder b(block);
        b.insn_start(0x50);
        b.set_global(0, b.load(Type::kI64, m, b.add(b.get_global(1), Builder::i64(0x10))));
        b.goto_tb(0, 0x54);
        interp::InterpreterBackend backend;
        env.r[0] = 0x1234, env.r[1] = addr - 0x10;
        return backend.compile(block)->run(&env.header);
    };
    for (const auto& c : kCases) {
        if (c.m.size() == 1) continue;  // a byte cannot cross
        INFO("load size " << c.m.size() << " sign " << c.m.sign);
        CHECK(load_at(c.m, 0x2000 - c.m.size() + 1).kind == BlockExit::Kind::kException);
        CHECK(env.header.exception_tval == 0x2000);
        CHECK(env.header.pc == 0x50);
        CHECK(env.r[0] == 0x1234);
        const uint64_t at = 0x4000 - c.m.size() + 1;
        REQUIRE(as.poke(at, bytes, c.m.size()));
        CHECK(load_at(c.m, at).kind == BlockExit::Kind::kGotoTb);
        CHECK(env.r[0] == c.expect);
    }

    // The folded Add is gone from the ops, the shared one is not.
    Block block(kGlobals);
    Builder b(block);
    b.set_global(0, b.load(Type::kI64, MemOp::u32(), b.add(b.get_global(1), Builder::i64(uint64_t(-4)))));
    b.goto_tb(0, 0);
    interp::InterpreterBackend backend;
    const std::string text = backend.compile(block)->dump();
    CHECK(text.find("Add64") == std::string::npos);
    CHECK(text.find("LoadU32") != std::string::npos);
    CHECK(text.find("disp=-4") != std::string::npos);
}

namespace {
uint64_t helper_clobber_r1(CpuHeader* env, uint64_t, uint64_t, uint64_t, uint64_t) {
    reinterpret_cast<TestEnv*>(env)->r[1] = 1000;
    return 0;
}
constexpr HelperInfo kClobber{"clobber_r1", helper_clobber_r1, 0, Type::kVoid, 0, {}};
}  // namespace

TEST_CASE("interpreter: guest registers read in place keep their value across later writes", "[interp]") {
    // Operands may name guest registers directly; these blocks would go wrong if that were done
    // where the register changes before the value's last use.
    Block block(kGlobals);
    Builder b(block);
    const Value old_r1 = b.get_global(1);
    b.set_global(1, Builder::i64(5));  // r1 changes...
    b.set_global(2, old_r1);           // ...but r2 gets the old value
    const Value sum = b.add(b.get_global(3), Builder::i64(1));
    b.set_global(3, sum);              // sum may be written straight into r3...
    b.set_global(3, Builder::i64(7));  // ...unless r3 changes before sum's last use
    b.set_global(0, sum);
    const Value before_call = b.get_global(1);
    b.call(kClobber, {});  // a helper that writes r1
    b.set_global(1, b.add(before_call, Builder::i64(1)));
    b.goto_tb(0, 0);
    TestEnv env;
    env.r[1] = 40;
    env.r[3] = 100;
    run(block, env);
    CHECK(env.r[2] == 40);
    CHECK(env.r[3] == 7);
    CHECK(env.r[0] == 101);
    CHECK(env.r[1] == 6);  // 5 + 1: read before the helper wrote 1000
}

TEST_CASE("interpreter: -d out_asm shows the pre-decoded ops", "[interp]") {
    Block block(kGlobals);
    Builder b(block);
    b.insn_start(0x100);
    b.set_global(0, b.add(b.get_global(1), Builder::i64(0x1234)));
    b.goto_tb(1, 0x104);
    interp::InterpreterBackend backend;
    const std::string text = backend.compile(block)->dump();
    // The add reads r1 in place and writes r0 in place (the Get/SetGlobal fold into it); the
    // constant sits in scratch; the pcs live in the ops, not in words.
    const std::string r0 = "w" + std::to_string(offsetof(TestEnv, r) / 8);
    const std::string r1 = "w" + std::to_string(offsetof(TestEnv, r) / 8 + 1);
    CHECK(text.find("const w" + std::to_string(offsetof(CpuHeader, scratch) / 8) + " = 0x1234") != std::string::npos);
    CHECK(text.find("Add64          " + r0 + " <- " + r1) != std::string::npos);
    CHECK(text.find("GotoTb") != std::string::npos);
    CHECK(text.find("pc=0x104") != std::string::npos);
    CHECK(text.find("= 0x100\n") == std::string::npos);  // no constant for the instruction's pc
    CHECK(text.find("SetGlobal") == std::string::npos);
}
