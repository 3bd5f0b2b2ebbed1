// Lockstep checking on hand-built IR: a correct pair of tiers agrees and a block's memory effects
// happen once; a deliberately wrong subject tier is caught, with the block, register or memory
// location and both values named.
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <cstring>
#include <optional>

#include "backends/interp/interp.h"
#include "backends/llvm/llvm_backend.h"
#include "backends/lockstep/journal.h"
#include "backends/lockstep/lockstep.h"
#include "ir/builder.h"
#include "tests/backends/four_register_env.h"
#include "user/address_space.h"

using namespace mimic;
using namespace mimic::ir;

namespace {

using TestEnv = test::FourRegisterEnv;
const auto& kGlobals = test::kFourRegisters;

constexpr uint64_t kData = 0x1000;  // one mapped, writable page

// A subject tier that is wrong on purpose: the interpreter, with a fault added to every run.
class FaultyBackend final : public Backend {
public:
    enum class Fault { kFlipR1, kStorePlusOne };
    explicit FaultyBackend(Fault fault) : fault_(fault) {}
    std::string_view name() const override { return "faulty"; }
    std::unique_ptr<CompiledBlock> compile(const ir::Block& block) override {
        return std::make_unique<FaultyBlock>(fault_, interp_.compile(block));
    }

private:
    // Stores reach memory with 1 added to their value.
    class PlusOnePort final : public MemoryPort {
    public:
        explicit PlusOnePort(MemoryPort& real) : real_(real) {}
        bool load_slow(CpuHeader* env, uint64_t addr, MemOp op, uint64_t* value) override {
            return real_.load_slow(env, addr, op, value);
        }
        bool store_slow(CpuHeader* env, uint64_t addr, MemOp op, uint64_t value) override {
            return real_.store_slow(env, addr, op, value + 1);
        }
        void* atomic_pointer(CpuHeader* env, uint64_t addr, unsigned size, Access access) override {
            return real_.atomic_pointer(env, addr, size, access);
        }
        bool fetch(CpuHeader* env, uint64_t addr, void* out, unsigned size, uint64_t* cause) override {
            return real_.fetch(env, addr, out, size, cause);
        }

    private:
        MemoryPort& real_;
    };

    class FaultyBlock final : public CompiledBlock {
    public:
        FaultyBlock(Fault fault, std::unique_ptr<CompiledBlock> inner) : fault_(fault), inner_(std::move(inner)) {}
        BlockExit run(CpuHeader* env) const override {
            if (fault_ == Fault::kFlipR1) {
                const BlockExit exit = inner_->run(env);
                reinterpret_cast<TestEnv*>(env)->r[1] ^= 1;
                return exit;
            }
            PlusOnePort port(*env->mem_port);
            lockstep::SlowPathRedirect redirect(env, port);  // every store through the port
            return inner_->run(env);
        }
        size_t host_size() const override { return inner_->host_size(); }
        std::string dump() const override { return inner_->dump(); }

    private:
        Fault fault_;
        std::unique_ptr<CompiledBlock> inner_;
    };

    Fault fault_;
    interp::InterpreterBackend interp_;
};

// Memory at kData, a TestEnv attached to it, and a lockstep pair that keeps its first report.
struct Fixture {
    user::AddressSpace memory{24};
    TestEnv env;
    std::optional<lockstep::DivergenceReport> report;

    Fixture() {
        REQUIRE(memory.map_anonymous(kData, kGuestPageSize, user::kProtRead | user::kProtWrite));
        memory.attach(env.header);
    }
    lockstep::LockstepOptions options() {
        lockstep::LockstepOptions o;
        o.on_divergence = [this](const lockstep::DivergenceReport& r) {
            if (!report) report = r;
        };
        return o;
    }
    uint64_t word(uint64_t addr) {
        uint64_t v = 0;
        REQUIRE(memory.read(addr, &v, 8));
        return v;
    }
};

// At pc 0x2000: r0 = [kData]; [kData] = r0 + 1; r1 = r2 + 5.
void build_increment(ir::Block& block) {
    Builder b(block);
    b.insn_start(0x2000);
    const Value old = b.load(Type::kI64, MemOp::u64(), Builder::i64(kData));
    b.set_global(0, old);
    b.insn_start(0x2004);
    b.store(MemOp::u64(), Builder::i64(kData), b.add(old, Builder::i64(1)));
    b.insn_start(0x2008);
    b.set_global(1, b.add(b.get_global(2), Builder::i64(5)));
    b.goto_tb(0, 0x200c);
}

// An atomic add of r1 to the word at r2, as the RISC-V AMO helpers do it; the old value returned.
uint64_t helper_atomic_add(CpuHeader* env, uint64_t addr, uint64_t value, uint64_t, uint64_t) {
    auto* p = static_cast<uint64_t*>(env->mem_port->atomic_pointer(env, addr, 8, Access::kWrite));
    return p ? __atomic_fetch_add(p, value, __ATOMIC_SEQ_CST) : 0;
}
constexpr HelperInfo kAtomicAdd{"atomic_add",
                                helper_atomic_add,
                                kHelperNoReadGlobals | kHelperNoWriteGlobals | kHelperMayRaise,
                                Type::kI64,
                                2,
                                {Type::kI64, Type::kI64}};

// A clock: a different result on every call.
uint64_t g_ticks = 100;
uint64_t helper_tick(CpuHeader*, uint64_t, uint64_t, uint64_t, uint64_t) {
    return g_ticks++;
}
constexpr HelperInfo kTick{"tick", helper_tick, kHelperNoReadGlobals | kHelperNoWriteGlobals, Type::kI64, 0, {}};

}  // namespace

TEST_CASE("lockstep: interp and llvm agree, and memory changes once", "[lockstep]") {
    Fixture f;
    interp::InterpreterBackend interp;
    jit::LlvmBackend llvm(MemoryModel::kFlat, nullptr);
    lockstep::LockstepBackend backend(interp, llvm, f.options());
    ir::Block block(kGlobals, 0x2000);
    build_increment(block);
    auto code = backend.compile(block);
    CHECK(code->direct_entry() == nullptr);  // never chained into: each block comes back to be checked

    REQUIRE(f.memory.write(kData, std::array<uint64_t, 1>{41}.data(), 8));
    f.env.r[2] = 2;
    const BlockExit exit = code->run(&f.env.header);
    CHECK_FALSE(f.report);
    CHECK(backend.blocks_checked() == 1);
    CHECK(exit.kind == BlockExit::Kind::kGotoTb);
    CHECK(f.env.header.pc == 0x200c);
    CHECK(f.word(kData) == 42);  // incremented by one, not two
    CHECK(f.env.r[0] == 41);
    CHECK(f.env.r[1] == 7);
    CHECK(f.env.header.mem_limit == f.memory.size());  // the journal's redirection is gone
    CHECK(f.env.header.mem_port == &f.memory);

    code->run(&f.env.header);
    CHECK(f.word(kData) == 43);
    CHECK(f.env.r[0] == 42);
    CHECK_FALSE(f.report);
}

TEST_CASE("lockstep: a block that jumps to itself runs once per check", "[lockstep]") {
    // The LLVM tier may turn a block's jump to its own start into a loop inside its code.
    Fixture f;
    interp::InterpreterBackend interp;
    jit::LlvmBackend llvm(MemoryModel::kFlat, nullptr);
    lockstep::LockstepBackend backend(interp, llvm, f.options());
    ir::Block block(kGlobals, 0x5000);
    Builder b(block);
    b.insn_start(0x5000);
    const Value count = b.add(b.get_global(0), Builder::i64(1));
    b.set_global(0, count);
    const uint32_t done = b.new_label();  // after 100 rounds, so that a broken check cannot hang
    b.branch_if(b.cmp(Cond::kGeU, count, Builder::i64(100)), done);
    b.goto_tb(0, 0x5000);
    b.bind(done);
    b.goto_tb(1, 0x5004);
    auto code = backend.compile(block);
    for (int i = 1; i <= 3; ++i) {
        const BlockExit exit = code->run(&f.env.header);
        CHECK(exit.kind == BlockExit::Kind::kGotoTb);
        CHECK(f.env.r[0] == uint64_t(i));
    }
    CHECK_FALSE(f.report);
    CHECK(f.env.header.exit_request.load() == 0);  // lockstep's own request is withdrawn
}

TEST_CASE("lockstep: an atomic and a store before a fault happen once", "[lockstep]") {
    Fixture f;
    interp::InterpreterBackend interp;
    jit::LlvmBackend llvm(MemoryModel::kFlat, nullptr);
    lockstep::LockstepBackend backend(interp, llvm, f.options());
    ir::Block block(kGlobals, 0x3000);
    Builder b(block);
    b.insn_start(0x3000);
    b.set_global(0, b.call(kAtomicAdd, {Builder::i64(kData + 8), Builder::i64(10)}));
    b.insn_start(0x3004);
    b.store(MemOp::u32(), Builder::i64(kData + 16), Builder::i64(0x1234));
    b.insn_start(0x3008);
    b.store(MemOp::u32(), Builder::i64(kData + kGuestPageSize), Builder::i64(1));  // unmapped: faults
    b.goto_tb(0, 0x300c);
    auto code = backend.compile(block);

    const BlockExit exit = code->run(&f.env.header);
    CHECK_FALSE(f.report);
    CHECK(exit.kind == BlockExit::Kind::kException);
    CHECK(f.env.header.pc == 0x3008);
    CHECK(f.env.header.exception_tval == kData + kGuestPageSize);
    CHECK(f.word(kData + 8) == 10);
    CHECK(f.word(kData + 16) == 0x1234);
    CHECK(f.env.r[0] == 0);
}

TEST_CASE("lockstep: a wrong register is reported with the block, the register and both values", "[lockstep]") {
    Fixture f;
    interp::InterpreterBackend interp;
    FaultyBackend faulty(FaultyBackend::Fault::kFlipR1);
    lockstep::LockstepBackend backend(interp, faulty, f.options());
    ir::Block block(kGlobals, 0x2000);
    build_increment(block);
    f.env.r[2] = 2;
    backend.compile(block)->run(&f.env.header);

    REQUIRE(f.report);
    CHECK(f.report->block_pc == 0x2000);
    REQUIRE(f.report->differences.size() == 1);
    CHECK(f.report->differences[0].what == "r1");
    CHECK(f.report->differences[0].reference == "0x7");
    CHECK(f.report->differences[0].subject == "0x6");
    CHECK(f.word(kData) == 1);  // the subject's run stands, once
    const std::string text = lockstep::format_report(*f.report);
    CHECK(text.substr(0, text.find('\n')) == "mimic: lockstep divergence in block 0x2000: r1: interp=0x7 faulty=0x6");
    CHECK(text.find("on entry: r2=0x2") != std::string::npos);
}

TEST_CASE("lockstep: a store of the wrong value is reported with its address", "[lockstep]") {
    Fixture f;
    interp::InterpreterBackend interp;
    FaultyBackend faulty(FaultyBackend::Fault::kStorePlusOne);
    lockstep::LockstepOptions options = f.options();
    options.register_name = [](size_t index, const GlobalInfo& g) {
        return "x" + std::to_string(index) + " (" + std::string(g.name) + ")";
    };
    lockstep::LockstepBackend backend(interp, faulty, options);
    ir::Block block(kGlobals, 0x2000);
    build_increment(block);
    backend.compile(block)->run(&f.env.header);

    REQUIRE(f.report);
    REQUIRE(f.report->differences.size() == 1);
    CHECK(f.report->differences[0].what == "memory at 0x1000 (8 bytes)");
    CHECK(f.report->differences[0].reference == "0x0000000000000001");
    CHECK(f.report->differences[0].subject == "0x0000000000000002");

    // A register named by the options.
    f.report.reset();
    FaultyBackend flip(FaultyBackend::Fault::kFlipR1);
    lockstep::LockstepBackend named(interp, flip, options);
    named.compile(block)->run(&f.env.header);
    REQUIRE(f.report);
    CHECK(f.report->differences[0].what == "x1 (r1)");
}

TEST_CASE("lockstep: a clock helper's readings are replayed to the subject", "[lockstep]") {
    Fixture f;
    interp::InterpreterBackend interp;
    jit::LlvmBackend llvm(MemoryModel::kFlat, nullptr);
    ir::Block block(kGlobals, 0x4000);
    Builder b(block);
    b.insn_start(0x4000);
    b.set_global(0, b.call(kTick, {}));
    b.set_global(1, b.call(kTick, {}));
    b.goto_tb(0, 0x4004);

    SECTION("without replay the two runs differ") {
        lockstep::LockstepBackend backend(interp, llvm, f.options());
        backend.compile(block)->run(&f.env.header);
        REQUIRE(f.report);
        CHECK(f.report->differences[0].what == "r0");
    }
    SECTION("with replay they agree, on the reference's readings") {
        lockstep::LockstepOptions options = f.options();
        options.replayed_helpers = {"tick"};
        lockstep::LockstepBackend backend(interp, llvm, options);
        g_ticks = 100;
        backend.compile(block)->run(&f.env.header);
        CHECK_FALSE(f.report);
        CHECK(f.env.r[0] == 100);
        CHECK(f.env.r[1] == 101);
        CHECK(g_ticks == 102);  // the subject's calls were answered from the record
    }
}
