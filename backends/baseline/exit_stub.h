// The shared tail of compiled code's exits that are not chained: one small routine per tier,
// instead of the jump cache probe inlined at every exit, so that units stay small (LLVM's
// compile time grows with each exit's basic blocks) and so does baseline code.
#pragma once

#include "backends/baseline/code_arena.h"
#include "backends/baseline/x64_emitter.h"

namespace mimic::baseline {

// The probe itself, as the baseline tier also inlines it for indirect jumps: with env in rdi and
// the pc in rsi, tail-jumps to the direct entry of the jump cache's block for that pc if the
// entry's flags equal the 32-bit `flags` register, the block has a direct entry and no exit is
// requested; otherwise continues at `miss`. Clobbers rax, rcx, rdx.
void emit_jump_cache_probe(X64& a, Reg flags, Label& miss, bool count_lookups);

// Emits into `arena` a host routine `uint64_t stub(CpuHeader* env)`, entered by a tail jump with
// env in rdi, and returns its address. It looks up env->pc in the vCPU's jump cache
// (engine/backend.h) under env->miss_flags and tail-jumps to the direct entry found there, unless
// an exit is requested; otherwise it returns env->miss_exit to the engine. The caller has stored
// pc, miss_exit, miss_flags and, for a block with chain slots, exit_chain. With `count_lookups`
// (-d stats) it adds its hits to env->inline_lookups.
void* emit_exit_stub(CodeArena& arena, bool count_lookups);

}  // namespace mimic::baseline
