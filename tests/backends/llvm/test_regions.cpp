// Regions on the tiered engine: hot loops of several blocks compiled as one LLVM unit, indirect
// jumps resolved by compiled code through the jump cache, regions dropped when a member's code
// changes, and interrupts still taken while a region loops.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "backends/interp/interp.h"
#include "backends/llvm/llvm_backend.h"
#include "engine/engine.h"
#include "engine/log.h"
#include "frontends/riscv/cpu.h"
#include "frontends/riscv/frontend.h"
#include "tests/frontends/riscv/encode.h"
#include "user/address_space.h"

using namespace mimic;
using namespace mimic::test::rv;

namespace {

constexpr uint64_t kCode = 0x10000;
constexpr uint32_t kEbreak = 0x00100073;
constexpr uint32_t kThreshold = 50;

constexpr uint32_t andi(uint32_t rd, uint32_t a, int32_t imm) {
    return opimm(7, rd, a, imm);
}
constexpr uint32_t jalr(uint32_t rd, uint32_t base, int32_t imm) {
    return i_type(imm, base, 0, rd, 0x67);
}

// A tiered engine (interpreter first, LLVM for hot code) on a small user-mode address space.
class TieredMachine {
public:
    // With `log`, its items apply (-d stats: helper calls are timed).
    explicit TieredMachine(Log* log = nullptr, bool indirect_regions = false, uint32_t max_region_ir_ops = 1200,
                           bool chaining = true)
        : log_(log),
          indirect_regions_(indirect_regions),
          max_region_ir_ops_(max_region_ir_ops),
          chaining_(chaining),
          interp_(MemoryModel::kFlat, log && log->enabled(kLogStats)),
          llvm_(MemoryModel::kFlat, log),
          memory_(30),
          engine_(frontend_, interp_, memory_, options()) {
        memory_.map_anonymous(kCode, 0x10000, user::kProtRead | user::kProtExec);
        memory_.attach(cpu.header);
    }
    void load(std::initializer_list<uint32_t> insns, uint64_t at = kCode) {
        for (uint32_t w : insns) {
            memory_.poke(at, &w, 4);
            at += 4;
        }
    }
    BlockExit run_from(uint64_t pc) {
        cpu.header.pc = pc;
        return engine_.run(&cpu.header, vcpu_);
    }
    bool stopped_at_ebreak(const BlockExit& exit) const {
        return exit.kind == BlockExit::Kind::kException && cpu.header.exception_cause == riscv::kBreakpoint;
    }
    // The code stores `insn` at addr: the guest's own write, as the store slow path reports it.
    void patch(uint64_t addr, uint32_t insn) {
        memory_.poke(addr, &insn, 4);
        engine_.code_written(addr, 4);
    }
    Engine& engine() { return engine_; }
    uint64_t peek64(uint64_t addr) {
        uint64_t v = 0;
        REQUIRE(memory_.peek(addr, &v, 8));
        return v;
    }
    // Maps zeroed read-write memory, or zeroes it again.
    void map_data(uint64_t at, uint64_t size) {
        memory_.unmap(at, size);
        REQUIRE(memory_.map_anonymous(at, size, user::kProtRead | user::kProtWrite));
    }
    void make_code_writable() {
        REQUIRE(memory_.protect(kCode, 0x10000, user::kProtRead | user::kProtWrite | user::kProtExec));
    }

    riscv::CpuState cpu;

private:
    EngineOptions options() {
        EngineOptions o;
        o.tier_up = &llvm_;
        o.tier_up_threshold = kThreshold;
        o.log = log_;
        o.indirect_regions = indirect_regions_;
        o.max_region_ir_ops = max_region_ir_ops_;
        o.chaining = chaining_;
        o.verify_ir = true;
        return o;
    }

    Log* log_;
    bool indirect_regions_;
    uint32_t max_region_ir_ops_;
    bool chaining_;
    riscv::RiscvFrontend frontend_;
    interp::InterpreterBackend interp_;
    jit::LlvmBackend llvm_;
    user::AddressSpace memory_;
    Engine engine_;
    VcpuEngineState vcpu_;
};

// A loop of several blocks with a call and a return, the called function on the next page:
//   0: x1 -= 1; x3 = x1 & 1; if x3 == 0 goto 16
//  12: x2 += 1
//  16: call kFunction (x5)
//  20: if x1 != 0 goto 0
//  24: ebreak
//  kFunction: x4 += 1; return (jalr x0, 0(x5))
constexpr uint64_t kFunction = kCode + 0x1000;

void load_call_loop(TieredMachine& m) {
    m.load({addi(1, 1, -1), andi(3, 1, 1), b_type(8, 0, 3, 0), addi(2, 2, 1),
            j_type(int32_t(kFunction - kCode - 16), 5), b_type(-20, 0, 1, 1), kEbreak});
    m.load({addi(4, 4, 1), jalr(0, 5, 0)}, kFunction);
}

void run_call_loop(TieredMachine& m, uint64_t n, uint64_t step = 1) {
    m.cpu.x[1] = n;
    m.cpu.x[2] = m.cpu.x[4] = 0;
    REQUIRE(m.stopped_at_ebreak(m.run_from(kCode)));
    CHECK(m.cpu.x[1] == 0);
    CHECK(m.cpu.x[2] == n / 2);  // x1 runs n-1 .. 0 after the decrement: n/2 of those are odd
    CHECK(m.cpu.x[4] == n * step);
}

}  // namespace

TEST_CASE("a hot loop of several blocks runs as regions, without the dispatcher", "[llvm][regions]") {
    Log log;
    log.enable(kLogStats);  // counts the inline lookups
    TieredMachine m(&log);
    load_call_loop(m);
    run_call_loop(m, 200);  // hot enough to queue regions
    m.engine().drain_tier_up();
    const EngineStats warm = m.engine().stats();
    REQUIRE(warm.tiered_up >= 1);
    // Some unit holds more than one block: the loop head's region takes in its chained successors.
    CHECK(warm.region_blocks > warm.tiered_up);

    const uint64_t n = 100000;
    run_call_loop(m, n);
    const EngineStats hot = m.engine().stats();
    // Five blocks per iteration: without regions, chaining and inline lookups each would be a
    // dispatch. The return (an indirect jump) is resolved by compiled code itself.
    CHECK(hot.dispatches - warm.dispatches < 1000);
    CHECK(hot.inline_lookups - warm.inline_lookups > n / 2);
    CHECK(hot.regions_dropped == 0);
}

TEST_CASE("a region stops at its IR budget, and its head is compiled alone if need be", "[llvm][regions]") {
    TieredMachine m(nullptr, false, 1);  // no room for any member but the head
    load_call_loop(m);
    run_call_loop(m, 200);
    m.engine().drain_tier_up();
    const EngineStats stats = m.engine().stats();
    REQUIRE(stats.tiered_up >= 1);
    CHECK(stats.region_blocks == stats.tiered_up);  // every unit is its head alone
    run_call_loop(m, 1000);                         // and the loop still computes the same
}

TEST_CASE("in user mode a region takes in its head's indirect-jump targets", "[llvm][regions]") {
    //  0: x1 -= 1; x7 = pc (4); x6 = (x1 & 1) * 8 + x7; jump to x6 + 20 (24 or 32)
    // 24: x2 += 1; goto 36      32: x4 += 1
    // 36: if x1 != 0 goto 0;    40: ebreak
    Log log;
    log.enable(kLogStats);
    TieredMachine m(&log, true);
    m.load({addi(1, 1, -1), u_type(0, 7, 0x17), andi(6, 1, 1), opimm(1, 6, 6, 3), add(6, 6, 7), jalr(0, 6, 20),
            addi(2, 2, 1), j_type(8, 0), addi(4, 4, 1), b_type(-36, 0, 1, 1), kEbreak});
    auto run = [&](uint64_t n) {
        m.cpu.x[1] = n;
        m.cpu.x[2] = m.cpu.x[4] = 0;
        REQUIRE(m.stopped_at_ebreak(m.run_from(kCode)));
        CHECK(m.cpu.x[4] == n / 2);  // odd x1 after the decrement
        CHECK(m.cpu.x[2] == n - n / 2);
    };
    run(200);
    m.engine().drain_tier_up();
    const EngineStats warm = m.engine().stats();
    const uint64_t n = 100000;
    run(n);
    const EngineStats hot = m.engine().stats();
    // The indirect jump neither returns to the dispatcher nor probes the jump cache: it is a
    // branch inside the unit.
    CHECK(hot.dispatches - warm.dispatches < 1000);
    CHECK(hot.inline_lookups - warm.inline_lookups < 1000);
}

TEST_CASE("a write to a region's code drops the region, and the new code runs", "[llvm][regions]") {
    TieredMachine m;
    load_call_loop(m);
    run_call_loop(m, 200);
    m.engine().drain_tier_up();
    run_call_loop(m, 1000);
    REQUIRE(m.engine().stats().region_blocks > m.engine().stats().tiered_up);

    // The called function now adds 3. Its page's blocks go (host protection is per page), and
    // with them the regions they are members of.
    m.patch(kFunction, addi(4, 4, 3));
    CHECK(m.engine().stats().regions_dropped >= 1);
    run_call_loop(m, 1000, 3);
    m.engine().drain_tier_up();
    run_call_loop(m, 1000, 3);  // and again once the regions were compiled anew
}

TEST_CASE("code the guest overwrites is not entered through the jump cache in the same run", "[llvm][regions]") {
    //  0: x1 -= 1; call kFunction through x6 (an indirect jump, which compiled code probes for)
    //  8: if x1 != 0 goto 0
    // 12: if x8 == 0 goto 32; store x7 over kFunction's first instruction; x8 = 0; x1 = x9; goto 0
    // 32: ebreak
    TieredMachine m;
    m.make_code_writable();
    m.load({addi(1, 1, -1), jalr(5, 6, 0), b_type(-8, 0, 1, 1), b_type(20, 0, 8, 0), store(2, 7, 6, 0), addi(8, 0, 0),
            addi(1, 9, 0), j_type(-28, 0), kEbreak});
    m.load({addi(4, 4, 1), jalr(0, 5, 0)}, kFunction);
    auto run = [&](uint64_t n, bool patch) {
        m.cpu.x[1] = m.cpu.x[9] = n;
        m.cpu.x[4] = 0;
        m.cpu.x[6] = kFunction;
        m.cpu.x[7] = addi(4, 4, 3);
        m.cpu.x[8] = patch;
        REQUIRE(m.stopped_at_ebreak(m.run_from(kCode)));
    };
    run(200, false);
    m.engine().drain_tier_up();  // the loop and the function have compiled code
    REQUIRE(m.engine().stats().tiered_up >= 2);
    // The second loop runs in the same run() as the store, so the vCPU's jump cache still holds
    // the function's invalidated block: only its cleared direct entry keeps the old code out.
    run(1000, true);
    CHECK(m.cpu.x[4] == 1000 * 1 + 1000 * 3);
}

TEST_CASE("without chaining (-d nochain) every block transfer goes through the dispatcher", "[llvm][regions]") {
    TieredMachine m(nullptr, false, 1200, false);
    load_call_loop(m);
    run_call_loop(m, 200);
    m.engine().drain_tier_up();
    const EngineStats warm = m.engine().stats();
    REQUIRE(warm.tiered_up >= 1);
    const uint64_t n = 1000;
    run_call_loop(m, n);
    // Four or five blocks per iteration, each entered from the dispatcher.
    CHECK(m.engine().stats().dispatches - warm.dispatches >= 4 * n);
}

TEST_CASE("a region that loops forever still returns when the vCPU is asked to", "[llvm][regions]") {
    // 0: x2 += 1; goto 8;  8: goto 0 (two blocks, both in one region)
    TieredMachine m;
    m.load({addi(2, 2, 1), j_type(4, 0), j_type(-8, 0)});
    auto run_for = [&](std::chrono::milliseconds ms) {
        m.cpu.header.exit_request.store(0);
        std::thread stopper([&] {
            std::this_thread::sleep_for(ms);
            m.cpu.header.exit_request.store(1);
        });
        const BlockExit exit = m.run_from(kCode);
        stopper.join();
        return exit;
    };
    CHECK(run_for(std::chrono::milliseconds(50)).kind == BlockExit::Kind::kExit);
    m.engine().drain_tier_up();
    const EngineStats warm = m.engine().stats();
    REQUIRE(warm.region_blocks >= 2);

    const uint64_t before = m.cpu.x[2];
    CHECK(run_for(std::chrono::milliseconds(100)).kind == BlockExit::Kind::kExit);
    CHECK(m.cpu.x[2] > before);
    CHECK(m.engine().stats().dispatches - warm.dispatches < 10);  // it looped inside the unit
}

TEST_CASE("helper calls are timed under -d stats, on both tiers", "[llvm][stats]") {
    // 0: x5 = cycle (a helper call); x1 -= 1; if x1 != 0 goto 0; ebreak
    Log log;
    log.enable(kLogStats);
    TieredMachine m(&log);
    m.load({csr(2, 5, 0xc00, 0), addi(1, 1, -1), b_type(-8, 0, 1, 1), kEbreak});
    m.cpu.x[1] = 200;  // hot: the loop is compiled
    REQUIRE(m.stopped_at_ebreak(m.run_from(kCode)));
    m.engine().drain_tier_up();
    const uint64_t interpreted = m.cpu.header.helper_cycles;
    CHECK(interpreted > 0);
    m.cpu.x[1] = 1000;
    REQUIRE(m.stopped_at_ebreak(m.run_from(kCode)));
    CHECK(m.engine().stats().tiered_up >= 1);
    CHECK(m.cpu.header.helper_cycles > interpreted);  // the compiled loop adds its own
    const EngineStats s = m.engine().stats();
    CHECK(s.helper_cycles == m.cpu.header.helper_cycles);
    CHECK(s.run_cycles > s.helper_cycles);

    TieredMachine quiet;  // without -d stats nothing is timed
    quiet.load({csr(2, 5, 0xc00, 0), addi(1, 1, -1), b_type(-8, 0, 1, 1), kEbreak});
    quiet.cpu.x[1] = 200;
    REQUIRE(quiet.stopped_at_ebreak(quiet.run_from(kCode)));
    CHECK(quiet.cpu.header.helper_cycles == 0);
    CHECK(quiet.engine().stats().run_cycles == 0);
}

namespace {

// A loop whose load and store follow an instruction with an effect on a register, all in one
// group without side effects (backends/llvm/lowering.h, Lowering::Restart):
//   0: x7 += 1; x8 = [x6]; x9 += x8; [x6 + 8] = x9; x6 += 16; x1 -= 1; if x1 != 0 goto 0; ebreak
constexpr uint64_t kData = kCode + 0x20000, kDataSize = 0x10000;

void load_access_loop(TieredMachine& m) {
    m.load({addi(7, 7, 1), load(3, 8, 6, 0), add(9, 9, 8), store(3, 9, 6, 8), addi(6, 6, 16), addi(1, 1, -1),
            b_type(-24, 0, 1, 1), kEbreak});
    m.map_data(kData, kDataSize);
}

// Runs the loop from a fresh state with x6 = at, up to its exit (the ebreak, or a fault).
BlockExit run_access_loop(TieredMachine& m, uint64_t at, uint64_t n) {
    for (uint32_t r : {7, 8, 9}) m.cpu.x[r] = 0x100 * r;
    m.cpu.x[1] = n;
    m.cpu.x[6] = at;
    return m.run_from(kCode);
}

}  // namespace

TEST_CASE("an access the host refuses in a region is done again by the lower tier, from its group's start",
          "[llvm][regions]") {
    TieredMachine m;
    load_access_loop(m);
    REQUIRE(m.stopped_at_ebreak(run_access_loop(m, kData, 200)));  // hot: the loop is compiled
    m.engine().drain_tier_up();
    REQUIRE(m.engine().stats().tiered_up >= 1);
    REQUIRE(m.stopped_at_ebreak(run_access_loop(m, kData, 1000)));
    CHECK(m.engine().stats().retries == 0);

    // In the fourth iteration, after three inside the unit, the load goes past the data's end, or
    // only the store does. Each faults at its own instruction with the state there, after the
    // lower tier ran the group again: the same as the interpreter alone gives.
    const uint64_t end = kData + kDataSize;
    for (const uint64_t at : {end - 48, end - 56}) {
        INFO("x6 = 0x" << std::hex << at);
        TieredMachine reference;  // never hot: the interpreter alone
        load_access_loop(reference);
        const BlockExit expected = run_access_loop(reference, at, 10);
        REQUIRE(expected.kind == BlockExit::Kind::kException);

        m.map_data(kData, kDataSize);  // memory as the reference's
        const uint64_t retries = m.engine().stats().retries;
        const BlockExit exit = run_access_loop(m, at, 10);
        CHECK(m.engine().stats().retries == retries + 1);
        REQUIRE(exit.kind == BlockExit::Kind::kException);
        CHECK(m.cpu.header.pc == reference.cpu.header.pc);
        CHECK(m.cpu.header.pc == (at == end - 48 ? kCode + 4 : kCode + 12));
        CHECK(m.cpu.header.exception_cause == reference.cpu.header.exception_cause);
        CHECK(m.cpu.header.exception_tval == end);
        CHECK(m.cpu.header.exception_tval == reference.cpu.header.exception_tval);
        for (uint32_t r = 1; r < 32; ++r) {
            INFO("x" << r);
            CHECK(m.cpu.x[r] == reference.cpu.x[r]);
        }
        CHECK(m.cpu.x[1] == 7);  // three iterations done
    }
    // The unit is still there, and still right.
    REQUIRE(m.stopped_at_ebreak(run_access_loop(m, kData, 1000)));
    CHECK(m.cpu.x[7] == 0x700 + 1000);
    CHECK(m.engine().stats().regions_dropped == 0);
}

TEST_CASE("a store ends its group: a refused access after it is not done again from before it", "[llvm][regions]") {
    // 0: x8 = [x6]; x8 += 1; [x6] = x8; x9 = [x5]; x5 += 8; x1 -= 1; if x1 != 0 goto 0; ebreak
    // The counter at x6 counts the iterations that got past the store: done twice, it would count
    // one more.
    TieredMachine m;
    m.load({load(3, 8, 6, 0), addi(8, 8, 1), store(3, 8, 6, 0), load(3, 9, 5, 0), addi(5, 5, 8), addi(1, 1, -1),
            b_type(-24, 0, 1, 1), kEbreak});
    m.map_data(kData, kDataSize);
    auto run = [&](uint64_t at, uint64_t n) {
        m.cpu.x[1] = n;
        m.cpu.x[5] = at;
        m.cpu.x[6] = kData;
        return m.run_from(kCode);
    };
    REQUIRE(m.stopped_at_ebreak(run(kData + 8, 200)));
    m.engine().drain_tier_up();
    REQUIRE(m.engine().stats().tiered_up >= 1);
    REQUIRE(m.stopped_at_ebreak(run(kData + 8, 1000)));
    CHECK(m.peek64(kData) == 1200);

    const uint64_t end = kData + kDataSize;
    const BlockExit exit = run(end - 24, 10);  // the fourth iteration's load faults
    REQUIRE(exit.kind == BlockExit::Kind::kException);
    CHECK(m.engine().stats().retries == 1);
    CHECK(m.cpu.header.pc == kCode + 12);
    CHECK(m.cpu.header.exception_tval == end);
    CHECK(m.peek64(kData) == 1204);
    CHECK(m.cpu.x[8] == 1204);
    CHECK(m.cpu.x[1] == 7);
}
