// State shared by every extension's translator while one block is translated: the Builder, the
// instruction being translated, and the gen_* operations common to all extensions.
#pragma once

#include <cstdint>
#include <initializer_list>

#include "engine/frontend.h"
#include "frontends/riscv/cpu.h"
#include "frontends/riscv/helpers.h"
#include "frontends/riscv/tb_flags.h"
#include "ir/builder.h"

namespace mimic::riscv {

using ir::Value;

class TranslateContext {
public:
    TranslateContext(ir::Builder& b, const TranslateOptions& opts, uint32_t flags = 0)
        : b(b), opts(opts), flags(flags) {}

    ir::Builder& b;
    const TranslateOptions& opts;
    const uint32_t flags;  // the block's TB flags (tb_flags.h)

    bool system() const { return flags & tb_flags::kSystem; }
    unsigned priv() const { return tb_flags::priv(flags); }
    // A memory access in the block's data MMU index.
    ir::MemOp mem(ir::MemOp op) const {
        op.mmu_index = tb_flags::mmu_index(flags);
        return op;
    }

    // The instruction being translated.
    uint64_t pc = 0;
    unsigned length = 4;  // 2 for compressed instructions
    uint32_t raw = 0;     // the instruction as fetched (16 or 32 bits)
    bool ended = false;   // the instruction ended the block

    uint64_t next_pc() const { return pc + length; }

    // Integer registers: x0 reads as zero and ignores writes.
    Value x(unsigned r) { return r == 0 ? ir::Builder::i64(0) : b.get_global(kGlobalX0 + r); }
    void set_x(unsigned r, Value v) {
        if (r != 0) b.set_global(kGlobalX0 + r, v);
    }
    // The low 32 bits, for the W instructions.
    Value x32(unsigned r) { return b.truncate(x(r)); }
    void set_x_sext32(unsigned r, Value v32) { set_x(r, b.extend_s(v32)); }

    // FP registers as raw 64-bit values (single precision is NaN-boxed).
    Value f(unsigned r) { return b.get_global(kGlobalF0 + r); }
    void set_f(unsigned r, Value v) { b.set_global(kGlobalF0 + r, v); }

    Value call(const ir::HelperInfo& h, std::initializer_list<Value> args) { return b.call(h, args); }

    // Block ends.
    void goto_pc(uint64_t target, unsigned slot = 0);  // direct, chainable
    void jump_indirect(Value target);                  // via the jump cache
    void branch(ir::Cond cond, Value a, Value c, uint64_t target);
    void raise(Cause cause, Value tval);
    void raise(Cause cause, uint64_t tval) { raise(cause, ir::Builder::i64(tval)); }
    bool illegal();  // raise illegal instruction for the current one; returns true (handled)
    void exit(ir::ExitReason reason, uint64_t resume_pc);
};

// Sign-extends the low `bits` of v.
constexpr int64_t sext(uint64_t v, unsigned bits) {
    return int64_t(v << (64 - bits)) >> (64 - bits);
}

}  // namespace mimic::riscv
