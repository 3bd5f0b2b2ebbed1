// Counted loops over guest memory get a second version without per-access checks, for LLVM's
// vectorizer and unroller (loop_versioning.cpp). The lowering marks what that version drops with
// the metadata named here. Internal to backends/llvm.
#pragma once

#include <llvm/IR/Function.h>

namespace mimic::jit {

// On a user-mode access's guard branch: successor 0 is its fast path, successor 1 its slow path.
inline constexpr const char* kGuardMetadata = "mimic.guard";
// On the guarded access itself (a callbr of inline assembly): !{i32 size, i1 sign-extends}.
inline constexpr const char* kAccessMetadata = "mimic.access";
// On a backward jump's exit-request check: successor 0 leaves, successor 1 stays in the unit.
inline constexpr const char* kPollMetadata = "mimic.poll";

// Versions the innermost loops of `fn` that it can prove counted, and whose guest accesses step
// through memory by constant strides; true if it versioned any. Before the versioned loop, one
// check covers the whole loop: a trip count the loop cannot exceed, bounded; every access's range
// in guest memory stable (MemoryPort::stable_range). The versioned loop then accesses guest
// memory with plain loads and stores and does not check for exit requests; it leaves where the
// loop leaves. Otherwise the original loop runs, with its checks. Runs on the lowered function,
// after SROA and before the CFG is simplified (it finds guards and polls as the lowering made them).
bool version_counted_loops(llvm::Function& fn);

}  // namespace mimic::jit
