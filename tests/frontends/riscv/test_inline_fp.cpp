// The F/D operations the tiers that compile compute on the host's FPU (ir::IeeeOp helpers, MXCSR
// for the flags): fadd/fsub/fmul/fdiv/fsqrt/feq/flt/fle in both precisions, run as translated code
// on the LLVM and baseline tiers over random and edge-case operands, rounding modes and fflags,
// must give exactly what the general helper alone gives (register bits, fflags, the
// illegal-instruction exception of a reserved frm).
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cfenv>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "engine/frontend.h"
#include "frontends/riscv/cpu.h"
#include "frontends/riscv/frontend.h"
#include "frontends/riscv/helpers.h"
#include "ir/passes/passes.h"
#include "tests/frontends/riscv/encode.h"
#include "tests/frontends/riscv/harness.h"
#include "tests/frontends/riscv/softfloat_host_util.h"

using namespace mimic;
using namespace mimic::test_softfloat;

namespace {

constexpr int kCases = 20000;
// The reference and the two tiers that compute on the host.
constexpr test::Tier kTiers[] = {test::Tier::kInterp, test::Tier::kBaseline, test::Tier::kLlvm};
constexpr uint32_t kDyn = 7;                        // the rounding mode field's "dynamic": frm's mode
constexpr uint64_t kBoxed = 0xffff'ffff'0000'0000;  // a NaN-boxed single's upper half

struct FpOp {
    const char* name;
    uint32_t funct7;
    const ir::HelperInfo* helper;
    bool single;
    bool unary = false;
    int compare = -1;    // a comparison's funct3 (it has no rm, and writes x3)
    uint32_t fused = 0;  // a fused multiply-add's major opcode (f3 = f1 * f2 +- f4)
};

const FpOp kOps[] = {
    {"fadd.s", 0x00, &riscv::kHelper_fadd_s, true},
    {"fsub.s", 0x04, &riscv::kHelper_fsub_s, true},
    {"fmul.s", 0x08, &riscv::kHelper_fmul_s, true},
    {"fdiv.s", 0x0c, &riscv::kHelper_fdiv_s, true},
    {"fadd.d", 0x01, &riscv::kHelper_fadd_d, false},
    {"fsub.d", 0x05, &riscv::kHelper_fsub_d, false},
    {"fmul.d", 0x09, &riscv::kHelper_fmul_d, false},
    {"fdiv.d", 0x0d, &riscv::kHelper_fdiv_d, false},
    {"fsqrt.s", 0x2c, &riscv::kHelper_fsqrt_s, true, true},
    {"fsqrt.d", 0x2d, &riscv::kHelper_fsqrt_d, false, true},
    {"feq.s", 0x50, &riscv::kHelper_feq_s, true, false, 2},
    {"flt.s", 0x50, &riscv::kHelper_flt_s, true, false, 1},
    {"fle.s", 0x50, &riscv::kHelper_fle_s, true, false, 0},
    {"feq.d", 0x51, &riscv::kHelper_feq_d, false, false, 2},
    {"flt.d", 0x51, &riscv::kHelper_flt_d, false, false, 1},
    {"fle.d", 0x51, &riscv::kHelper_fle_d, false, false, 0},
    {"fmadd.s", 0, &riscv::kHelper_fmadd_s, true, false, -1, 0x43},
    {"fmsub.s", 0, &riscv::kHelper_fmsub_s, true, false, -1, 0x47},
    {"fnmsub.s", 0, &riscv::kHelper_fnmsub_s, true, false, -1, 0x4b},
    {"fnmadd.s", 0, &riscv::kHelper_fnmadd_s, true, false, -1, 0x4f},
    {"fmadd.d", 0, &riscv::kHelper_fmadd_d, false, false, -1, 0x43},
    {"fmsub.d", 0, &riscv::kHelper_fmsub_d, false, false, -1, 0x47},
    {"fnmsub.d", 0, &riscv::kHelper_fnmsub_d, false, false, -1, 0x4b},
    {"fnmadd.d", 0, &riscv::kHelper_fnmadd_d, false, false, -1, 0x4f},
};

// f3 = f1 op f2 (or op f1) with rounding field rm; x3 = f1 op f2 for a comparison.
uint32_t encode(const FpOp& op, uint32_t rm) {
    if (op.fused) return test::rv::r4(op.fused, op.single ? 0 : 1, rm, 3, 1, 2, 4);
    if (op.compare >= 0) rm = uint32_t(op.compare);
    return op.funct7 << 25 | (op.unary ? 0u : 2u) << 20 | 1u << 15 | rm << 12 | 3u << 7 | 0x53;
}

// Mostly values where the fast path runs (mid-range normals, zeros, operands near each other so
// sums cancel), and every kind where it must not: subnormals, infinities, NaNs, results that
// overflow or underflow, unboxed singles.
template <typename T>
uint64_t draw(OperandGen& g, uint64_t other, bool single) {
    T v;
    switch (g.below(6)) {
        case 0: v = g.any<T>(); break;
        case 1: v = g.near<T>(T(other)); break;
        default: {
            const T exp = T(kBias<T> + int(g.below(81)) - 40);
            v = (g.below(2) ? kSign<T> : 0) | exp << Traits<T>::kFracBits | (T(g.bits()) & kFracMask<T>);
        }
    }
    if (!single) return v;
    return g.below(50) == 0 ? g.bits() : kBoxed | v;  // now and then not NaN-boxed
}

// fflags clear (the fast path never runs), inexact set (it may), or anything.
uint64_t draw_fflags(OperandGen& g) {
    switch (g.below(3)) {
        case 0: return 0;
        case 1: return riscv::softfloat::kInexact;
        default: return g.below(32);
    }
}

void check_op(const FpOp& op, test::Tier tier) {
    INFO(op.name);
    OperandGen gen(seed_of(std::string("inline ") + op.name));
    auto reference = std::make_unique<riscv::CpuState>();
    Mismatches mismatches;
    const std::vector<uint32_t> rms = op.compare >= 0 ? std::vector<uint32_t>{0, 0, 0} : std::vector<uint32_t>{0, 7, 1};
    for (const uint32_t rm : rms) {
        const uint32_t insn = encode(op, rm);
        test::RiscvMachine machine(256, true, tier);
        for (int i = 0; i < kCases; ++i) {
            uint64_t x = op.single ? draw<uint32_t>(gen, 0, true) : draw<uint64_t>(gen, 0, false);
            uint64_t y = op.single ? draw<uint32_t>(gen, x, true) : draw<uint64_t>(gen, x, false);
            uint64_t z = op.single ? draw<uint32_t>(gen, y, true) : draw<uint64_t>(gen, y, false);
            if (op.fused && gen.below(16) == 0) {  // 0 * inf + a quiet NaN: invalid all the same
                x = op.single ? kBoxed : 0;
                y = op.single ? kBoxed | 0x7f80'0000 : 0x7ff0'0000'0000'0000;
                z = op.single ? kBoxed | 0x7fc0'0001 : 0x7ff8'0000'0000'0001;
            }
            const uint64_t fflags = draw_fflags(gen);
            const uint64_t frm = gen.below(4) ? 0 : gen.below(8);

            reference->header.exception_pending = 0;
            reference->fflags = fflags;
            reference->frm = frm;
            const uint64_t want = op.compare >= 0 ? op.helper->fn(&reference->header, x, y, 0, 0)
                                  : op.unary      ? op.helper->fn(&reference->header, x, insn, 0, 0)
                                  : op.fused      ? op.helper->fn(&reference->header, x, y, z, insn)
                                                  : op.helper->fn(&reference->header, x, y, insn, 0);
            const bool want_raise = reference->header.exception_pending != 0;

            machine.cpu.f[1] = x;
            machine.cpu.f[2] = y;
            machine.cpu.f[4] = z;
            machine.cpu.f[3] = 0;
            machine.cpu.x[3] = 0;
            machine.cpu.fflags = fflags;
            machine.cpu.frm = frm;
            machine.cpu.header.exception_pending = 0;
            if (i == 0) {
                machine.run({insn});
            } else {
                machine.cpu.header.pc = test::RiscvMachine::kCode;
                machine.resume();
            }
            const bool raised = !machine.stopped_at_ebreak();
            const uint64_t got = op.compare >= 0 ? machine.cpu.x[3] : machine.cpu.f[3];
            mismatches.check(
                raised == want_raise && machine.cpu.fflags == reference->fflags && (want_raise || got == want), [&] {
                    return std::string(op.name) + " rm=" + std::to_string(rm) + " frm=" + std::to_string(frm) +
                           " fflags=" + hex(fflags) + " x=" + hex(x) + " y=" + hex(y) + " z=" + hex(z) +
                           " got=" + hex(got) + "/" + hex(machine.cpu.fflags) + (raised ? " raised" : "") +
                           " want=" + hex(want) + "/" + hex(reference->fflags) + (want_raise ? " raised" : "");
                });
        }
    }
    CHECK(mismatches.count() == 0);
    CHECK(mismatches.cases() == 3 * kCases);
}

}  // namespace

TEST_CASE("F/D operations on the host FPU give the helpers' bits, fflags and exceptions", "[hardfloat][llvm]") {
    std::fesetround(FE_TONEAREST);  // the reference helpers' own host fast paths rely on it
    for (const test::Tier tier : {test::Tier::kLlvm, test::Tier::kBaseline}) {
        INFO((tier == test::Tier::kLlvm ? "llvm" : "baseline"));
        for (const FpOp& op : kOps) check_op(op, tier);
    }
}

// Whether a block's helper calls include IEEE helpers (the host computes them).
bool calls_ieee(const ir::Block& block) {
    return std::any_of(block.insts().begin(), block.insts().end(), [](const ir::Inst& in) {
        return in.op == ir::Opcode::kCall && in.helper()->ieee.kind != ir::IeeeOp::Kind::kNone;
    });
}

TEST_CASE("the frontend calls the IEEE helper where the rounding is RNE", "[hardfloat]") {
    riscv::RiscvFrontend frontend;
    user::AddressSpace memory(30);
    riscv::CpuState cpu;
    memory.map_anonymous(0x10000, 0x1000, user::kProtRead | user::kProtExec);
    memory.attach(cpu.header);
    for (const FpOp& op : kOps) {
        INFO(op.name);
        // rm: static RNE, dynamic with frm RNE, dynamic with frm RTZ, static RTZ.
        for (const auto& [rm, frm] : {std::pair{0u, 0u}, {7u, 0u}, {7u, 1u}, {1u, 0u}}) {
            INFO("rm " << rm << " frm " << frm);
            cpu.frm = frm;
            const uint32_t insn = encode(op, rm);
            memory.poke(0x10000, &insn, 4);
            ir::Block block(frontend.globals(), 0x10000);
            TranslateOptions opts;
            opts.max_insns = 1;
            frontend.translate(&cpu.header, memory, 0x10000, frontend.tb_flags(&cpu.header), opts, block);
            // Comparisons have no rounding: they are IEEE helpers themselves.
            CHECK(calls_ieee(block) == (op.compare >= 0 || rm == 0 || (rm == 7 && frm == 0)));
        }
    }
}

// Within one block: fflags read after an IEEE operation, cleared before the next (so that the flag
// MXCSR still holds must not come back), and kept across helper calls between two.
TEST_CASE("fflags accrue exactly around reads, writes and calls in one block", "[hardfloat][llvm]") {
    using namespace test::rv;
    constexpr uint32_t kFflags = 0x001, kRtz = 1;
    for (const test::Tier tier : kTiers) {
        INFO("tier " << int(tier));
        test::RiscvMachine m(256, true, tier);
        m.cpu.f[0] = from_host(0.0);
        m.cpu.f[1] = from_host(1.0);
        m.cpu.f[2] = from_host(1e-30);
        m.cpu.f[6] = from_host(3.0);
        m.run({
            fp(0x01, kDyn, 3, 1, 2),  // fadd.d f3, f1, f2: inexact
            csr(2, 5, kFflags, 0),    // csrrs x5, fflags, x0
            csr(1, 0, kFflags, 0),    // csrrw x0, fflags, x0: cleared
            fp(0x09, kDyn, 4, 1, 6),  // fmul.d f4, f1, f6: exact
            csr(2, 6, kFflags, 0),    // csrrs x6, fflags, x0
            fp(0x0d, kDyn, 5, 1, 6),  // fdiv.d f5, f1, f6: inexact
            csr(2, 9, 0xc00, 0),      // csrrs x9, cycle, x0: a helper that touches no f state
            fp(0x61, kRtz, 7, 6, 2),  // fcvt.l.d x7, f6, rtz: the general helper, exact
            fp(0x0d, kDyn, 8, 1, 0),  // fdiv.d f8, f1, f0: divide by zero
        });
        REQUIRE(m.stopped_at_ebreak());
        CHECK(m.cpu.x[5] == riscv::softfloat::kInexact);
        CHECK(m.cpu.x[6] == 0);
        CHECK(m.cpu.x[7] == 3);
        CHECK(m.cpu.f[4] == from_host(3.0));
        CHECK(m.cpu.f[8] == from_host(std::numeric_limits<double>::infinity()));
        CHECK(m.cpu.fflags == (riscv::softfloat::kInexact | riscv::softfloat::kDivByZero));
    }
}

// The baseline tier folds MXCSR into fflags once for a run of IEEE operations, before whatever
// reads fflags, calls or leaves: an access that faults after them must leave them in fflags.
TEST_CASE("fflags raised before an access that faults are in fflags at the fault", "[hardfloat][llvm]") {
    using namespace test::rv;
    for (const test::Tier tier : kTiers) {
        INFO("tier " << int(tier));
        test::RiscvMachine m(256, true, tier);
        m.cpu.f[0] = from_host(0.0);
        m.cpu.f[1] = from_host(1.0);
        m.cpu.f[2] = from_host(1e-30);
        m.cpu.x[10] = 8;  // unmapped
        m.run({
            fp(0x01, kDyn, 3, 1, 2),  // fadd.d f3, f1, f2: inexact
            fp(0x0d, kDyn, 4, 1, 0),  // fdiv.d f4, f1, f0: divide by zero
            load(3, 5, 10, 0),        // ld x5, 0(x10): faults
        });
        REQUIRE(m.exit.kind == BlockExit::Kind::kException);
        CHECK(m.cpu.header.exception_pending == user::kMemoryFault);
        CHECK(m.cpu.header.exception_tval == 8);
        CHECK(m.cpu.header.pc == test::RiscvMachine::kCode + 8);
        CHECK(m.cpu.f[4] == from_host(std::numeric_limits<double>::infinity()));
        CHECK(m.cpu.fflags == (riscv::softfloat::kInexact | riscv::softfloat::kDivByZero));
    }
}

TEST_CASE("a register an FP operation overwrites is read anew by the operations after it", "[hardfloat][llvm]") {
    // The baseline tier keeps the last operation's operands and result in xmm registers for the
    // next: fsqrt overwrites f1, which the fmul before it left in one, and fadd must read the new f1.
    using namespace test::rv;
    for (const test::Tier tier : kTiers) {
        INFO("tier " << int(tier));
        test::RiscvMachine m(256, true, tier);
        m.cpu.f[0] = from_host(2.0);
        m.cpu.f[1] = from_host(8.0);
        m.cpu.f[5] = from_host(0.5);
        m.run({
            fp(0x09, kDyn, 2, 0, 1),  // fmul.d f2, f0, f1: 16
            fp(0x2d, kDyn, 1, 2, 0),  // fsqrt.d f1, f2: 4
            fp(0x01, kDyn, 4, 5, 1),  // fadd.d f4, f5, f1: 4.5
            fp(0x01, kDyn, 1, 1, 2),  // fadd.d f1, f1, f2: 20
            fp(0x05, kDyn, 6, 2, 1),  // fsub.d f6, f2, f1: -4
        });
        CHECK(m.cpu.f[1] == from_host(20.0));
        CHECK(m.cpu.f[2] == from_host(16.0));
        CHECK(m.cpu.f[4] == from_host(4.5));
        CHECK(m.cpu.f[6] == from_host(-4.0));
    }
}

// GCC's quiet comparison (isless, and sqrt's errno check): frflags x5; flt.d x6; fsflags x5. The
// comparison's flags are dead, so it becomes its twin without flags (HelperInfo::without_flags)
// and the write-back of fflags goes; a NaN operand must still compare false, and the invalid flag
// the comparison would have raised must reach fflags neither then nor through MXCSR later.
TEST_CASE("a comparison whose flags the guest discards raises nothing and compares right", "[hardfloat][llvm]") {
    using namespace test::rv;
    constexpr uint32_t kFflags = 0x001;
    constexpr uint64_t kQuietNan = 0x7ff8'0000'0000'0000, kSignalingNan = 0x7ff0'0000'0000'0001;
    constexpr uint64_t kInvalid = riscv::softfloat::kInvalid;
    struct Case {
        uint64_t a, b, less, invalid;  // invalid: what flt raises
    };
    const Case cases[] = {{from_host(1.0), from_host(2.0), 1, 0},
                          {from_host(2.0), from_host(1.0), 0, 0},
                          {kQuietNan, from_host(1.0), 0, kInvalid},
                          {from_host(1.0), kSignalingNan, 0, kInvalid}};
    for (const test::Tier tier : kTiers) {
        for (const Case& c : cases) {
            INFO("tier " << int(tier) << " a=" << hex(c.a) << " b=" << hex(c.b));
            test::RiscvMachine m(256, true, tier);
            m.cpu.f[1] = from_host(1.0);
            m.cpu.f[6] = from_host(3.0);
            m.cpu.f[7] = c.a;
            m.cpu.f[8] = c.b;
            m.run({
                fp(0x0d, kDyn, 5, 1, 6),  // fdiv.d f5, f1, f6: inexact, pending on the host
                csr(2, 5, kFflags, 0),    // frflags x5
                fp(0x51, 1, 6, 7, 8),     // flt.d x6, f7, f8
                csr(1, 0, kFflags, 5),    // fsflags x5
                fp(0x01, kDyn, 9, 1, 1),  // fadd.d f9, f1, f1: exact
                csr(2, 7, kFflags, 0),    // frflags x7
                fp(0x51, 1, 10, 7, 8),    // flt.d x10, f7, f8: its flags kept
                csr(2, 11, kFflags, 0),   // frflags x11
            });
            REQUIRE(m.stopped_at_ebreak());
            CHECK(m.cpu.x[5] == riscv::softfloat::kInexact);
            CHECK(m.cpu.x[6] == c.less);
            CHECK(m.cpu.x[7] == riscv::softfloat::kInexact);
            CHECK(m.cpu.x[10] == c.less);
            CHECK(m.cpu.x[11] == (riscv::softfloat::kInexact | c.invalid));
            CHECK(m.cpu.fflags == (riscv::softfloat::kInexact | c.invalid));
        }
    }
}

TEST_CASE("the quiet comparison idiom optimizes to a comparison without flags", "[hardfloat]") {
    using namespace test::rv;
    constexpr uint32_t kFflags = 0x001;
    riscv::RiscvFrontend frontend;
    user::AddressSpace memory(30);
    riscv::CpuState cpu;
    memory.map_anonymous(0x10000, 0x1000, user::kProtRead | user::kProtExec);
    memory.attach(cpu.header);
    auto count = [](const ir::Block& block, auto pred) {
        return std::count_if(block.insts().begin(), block.insts().end(), pred);
    };
    for (const bool restores : {true, false}) {
        INFO("fsflags " << restores);
        const uint32_t code[] = {csr(2, 5, kFflags, 0), fp(0x51, 1, 6, 7, 8),
                                 restores ? csr(1, 0, kFflags, 5) : csr(2, 9, kFflags, 0)};
        memory.poke(0x10000, code, sizeof code);
        ir::Block block(frontend.globals(), 0x10000);
        TranslateOptions opts;
        opts.max_insns = 3;
        frontend.translate(&cpu.header, memory, 0x10000, frontend.tb_flags(&cpu.header), opts, block);
        ir::optimize(block);
        const auto calls = [&](const ir::HelperInfo& h) {
            return count(block, [&](const ir::Inst& in) { return in.op == ir::Opcode::kCall && in.helper() == &h; });
        };
        const auto fflags_writes = count(block, [](const ir::Inst& in) {
            return in.op == ir::Opcode::kSetGlobal && in.aux == riscv::kGlobalFflags;
        });
        CHECK(calls(riscv::kHelper_flt_d_no_flags) == (restores ? 1 : 0));
        CHECK(calls(riscv::kHelper_flt_d) == (restores ? 0 : 1));
        CHECK(fflags_writes == 0);
    }
}
