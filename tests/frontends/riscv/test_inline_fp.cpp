// The F/D fast paths the frontend emits inline for the LLVM tier (FpTranslator::inline_binary and
// inline_sqrt, compare): fadd/fsub/fmul/fdiv/fsqrt/feq/flt/fle in both precisions, run as translated code on the LLVM
// tier over random and edge-case operands, rounding modes and fflags, must give exactly what the helper alone gives
// (register bits, fflags, the illegal-instruction exception of a reserved frm).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cfenv>
#include <memory>
#include <string>
#include <vector>

#include "engine/frontend.h"
#include "frontends/riscv/cpu.h"
#include "frontends/riscv/frontend.h"
#include "frontends/riscv/helpers.h"
#include "tests/frontends/riscv/harness.h"
#include "tests/frontends/riscv/softfloat_host_util.h"

using namespace mimic;
using namespace mimic::test_softfloat;

namespace {

constexpr int kCases = 20000;
constexpr uint64_t kBoxed = 0xffff'ffff'0000'0000;  // a NaN-boxed single's upper half

struct FpOp {
    const char* name;
    uint32_t funct7;
    const ir::HelperInfo* helper;
    bool single;
    bool unary = false;
    int compare = -1;  // a comparison's funct3 (it has no rm, and writes x3)
};

const FpOp kOps[] = {
    {"fadd.s", 0x00, &riscv::kHelper_fadd_s, true},          {"fsub.s", 0x04, &riscv::kHelper_fsub_s, true},
    {"fmul.s", 0x08, &riscv::kHelper_fmul_s, true},          {"fdiv.s", 0x0c, &riscv::kHelper_fdiv_s, true},
    {"fadd.d", 0x01, &riscv::kHelper_fadd_d, false},         {"fsub.d", 0x05, &riscv::kHelper_fsub_d, false},
    {"fmul.d", 0x09, &riscv::kHelper_fmul_d, false},         {"fdiv.d", 0x0d, &riscv::kHelper_fdiv_d, false},
    {"fsqrt.s", 0x2c, &riscv::kHelper_fsqrt_s, true, true},  {"fsqrt.d", 0x2d, &riscv::kHelper_fsqrt_d, false, true},
    {"feq.s", 0x50, &riscv::kHelper_feq_s, true, false, 2},  {"flt.s", 0x50, &riscv::kHelper_flt_s, true, false, 1},
    {"fle.s", 0x50, &riscv::kHelper_fle_s, true, false, 0},  {"feq.d", 0x51, &riscv::kHelper_feq_d, false, false, 2},
    {"flt.d", 0x51, &riscv::kHelper_flt_d, false, false, 1}, {"fle.d", 0x51, &riscv::kHelper_fle_d, false, false, 0},
};

// f3 = f1 op f2 (or op f1) with rounding field rm; x3 = f1 op f2 for a comparison.
uint32_t encode(const FpOp& op, uint32_t rm) {
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

void check_op(const FpOp& op) {
    INFO(op.name);
    OperandGen gen(seed_of(std::string("inline ") + op.name));
    auto reference = std::make_unique<riscv::CpuState>();
    Mismatches mismatches;
    const std::vector<uint32_t> rms = op.compare >= 0 ? std::vector<uint32_t>{0, 0, 0} : std::vector<uint32_t>{0, 7, 1};
    for (const uint32_t rm : rms) {
        const uint32_t insn = encode(op, rm);
        test::RiscvMachine machine(256, true, test::Tier::kLlvm);  // compiles the block once
        for (int i = 0; i < kCases; ++i) {
            const uint64_t x = op.single ? draw<uint32_t>(gen, 0, true) : draw<uint64_t>(gen, 0, false);
            const uint64_t y = op.single ? draw<uint32_t>(gen, x, true) : draw<uint64_t>(gen, x, false);
            const uint64_t fflags = draw_fflags(gen);
            const uint64_t frm = gen.below(4) ? 0 : gen.below(8);

            reference->header.exception_pending = 0;
            reference->fflags = fflags;
            reference->frm = frm;
            const uint64_t want = op.compare >= 0 ? op.helper->fn(&reference->header, x, y, 0, 0)
                                  : op.unary      ? op.helper->fn(&reference->header, x, insn, 0, 0)
                                                  : op.helper->fn(&reference->header, x, y, insn, 0);
            const bool want_raise = reference->header.exception_pending != 0;

            machine.cpu.f[1] = x;
            machine.cpu.f[2] = y;
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
                           " fflags=" + hex(fflags) + " x=" + hex(x) + " y=" + hex(y) + " got=" + hex(got) + "/" +
                           hex(machine.cpu.fflags) + (raised ? " raised" : "") + " want=" + hex(want) + "/" +
                           hex(reference->fflags) + (want_raise ? " raised" : "");
                });
        }
    }
    CHECK(mismatches.count() == 0);
    CHECK(mismatches.cases() == 3 * kCases);
}

}  // namespace

TEST_CASE("inline F/D fast paths on the LLVM tier give the helpers' bits, fflags and exceptions", "[hardfloat][llvm]") {
    std::fesetround(FE_TONEAREST);  // the fast paths rely on the host's default rounding
    for (const FpOp& op : kOps) check_op(op);
}

TEST_CASE("the frontend emits the F/D fast paths only for a tier that asks for them", "[hardfloat]") {
    riscv::RiscvFrontend frontend;
    user::AddressSpace memory(30);
    riscv::CpuState cpu;
    memory.map_anonymous(0x10000, 0x1000, user::kProtRead | user::kProtExec);
    memory.attach(cpu.header);
    for (const FpOp& op : kOps) {
        INFO(op.name);
        const uint32_t insn = encode(op, 7);
        memory.poke(0x10000, &insn, 4);
        for (const bool inline_paths : {false, true}) {
            ir::Block block(frontend.globals(), 0x10000);
            TranslateOptions opts;
            opts.max_insns = 1;
            opts.inline_fast_paths = inline_paths;
            frontend.translate(&cpu.header, memory, 0x10000, frontend.tb_flags(&cpu.header), opts, block);
            const bool has_float_op = std::any_of(block.insts().begin(), block.insts().end(),
                                                  [](const ir::Inst& in) { return ir::is_float_op(in.op); });
            CHECK(has_float_op == inline_paths);
        }
    }
}
