// A block for the tests of chaining and requested exits, on any test vCPU whose guest register 0
// is a 64-bit counter.
#pragma once

#include <cstdint>

#include "ir/block.h"
#include "ir/builder.h"

namespace mimic::test {

// A block at `pc` that adds 1 to register 0 and jumps to `next` through its direct exit 0; once
// the count reaches 30 it leaves for `out` through exit 1 instead, so that code that never checks
// for a requested exit still ends (and fails its test) rather than looping forever.
inline ir::Block counting_block(ir::GlobalTable globals, uint64_t pc, uint64_t next, uint64_t out) {
    ir::Block block(globals, pc, 0);
    ir::Builder b(block);
    b.insn_start(pc);
    const ir::Value count = b.add(b.get_global(0), ir::Builder::i64(1));
    b.set_global(0, count);
    const uint32_t exit = block.new_label();
    b.branch_if(b.cmp(ir::Cond::kGeU, count, ir::Builder::i64(30)), exit);
    b.goto_tb(0, next);
    b.bind(exit);
    b.goto_tb(1, out);
    return block;
}

}  // namespace mimic::test
