// The exit stub: the jump cache probe that the baseline and LLVM tiers share.
#include "backends/baseline/exit_stub.h"

#include <cstddef>

#include "backends/baseline/x64_emitter.h"
#include "engine/backend.h"
#include "engine/cpu_header.h"

namespace mimic::baseline {

static_assert(sizeof(JumpCacheEntry) == 32, "the probe scales the index by 32");

void emit_jump_cache_probe(X64& a, Reg flags, Label& miss, bool count_lookups) {
    auto env = [](size_t offset) { return Mem{rdi, int32_t(offset)}; };
    auto entry_field = [](size_t offset) { return Mem{rdx, int32_t(offset)}; };
    a.mov(rdx, env(offsetof(CpuHeader, jump_cache)));
    a.test(rdx, rdx);
    a.jcc(Cc::e, miss);
    a.mov(rcx, rsi);  // jump_cache_index(pc), times sizeof(JumpCacheEntry)
    a.shift_imm(kShr, rcx, 1);
    a.mov(rax, rsi);
    a.shift_imm(kShr, rax, kJumpCacheBits + 1);
    a.alu(kXor, rcx, rax);
    a.alu_imm(kAnd, rcx, (1 << kJumpCacheBits) - 1);
    a.shift_imm(kShl, rcx, 5);
    a.alu(kAdd, rdx, rcx);
    a.alu(kCmp, rsi, entry_field(offsetof(JumpCacheEntry, pc)));
    a.jcc(Cc::ne, miss);
    a.alu(kCmp, flags, entry_field(offsetof(JumpCacheEntry, flags)), false);
    a.jcc(Cc::ne, miss);
    a.mov(rax, entry_field(offsetof(JumpCacheEntry, direct_entry)));
    a.mov(rax, Mem{rax});  // the atomic: a plain load is acquire on x86-64
    a.test(rax, rax);
    a.jcc(Cc::e, miss);
    a.alu_imm(kCmp, env(offsetof(CpuHeader, exit_request)), 0, false);
    a.jcc(Cc::ne, miss);
    if (count_lookups) a.alu_imm(kAdd, env(offsetof(CpuHeader, inline_lookups)), 1);
    a.jmp(rax);
}

void* emit_exit_stub(CodeArena& arena, bool count_lookups) {
    X64 a;
    Label miss;
    a.mov(rsi, Mem{rdi, int32_t(offsetof(CpuHeader, pc))});
    a.mov(r8, Mem{rdi, int32_t(offsetof(CpuHeader, miss_flags))}, false);
    emit_jump_cache_probe(a, r8, miss, count_lookups);
    a.bind(miss);
    a.mov(rax, Mem{rdi, int32_t(offsetof(CpuHeader, miss_exit))});
    a.ret();
    return arena.add(a.bytes().data(), a.size());
}

}  // namespace mimic::baseline
