// The interpreter's threaded-dispatch loop over the pre-decoded ops (ops.h).
#include <bit>
#include <cstring>

#include "backends/interp/ops.h"
#include "engine/host_cycles.h"
#include "ir/semantics.h"
#include "softmmu/memory_port.h"
#include "softmmu/tlb.h"

namespace mimic::interp {

using namespace ir;

BlockExit execute(const InterpretedBlock* block, CpuHeader* env, const void* const** table) {
    static const void* const kLabels[] = {
#define X(name) &&L_##name,
#include "backends/interp/ops.inc"
        MIMIC_INTERP_OPS(X)
#undef X
    };
    if (block == nullptr) {
        *table = kLabels;
        return {};
    }
    const auto& ops = block->ops;
    if (block->consts.size() == InterpretedBlock::kInlineConstWords)
        std::memcpy(env->scratch, block->consts.data(), InterpretedBlock::kInlineConstWords * sizeof(uint64_t));
    else if (!block->consts.empty())
        std::memcpy(env->scratch, block->consts.data(), block->consts.size() * sizeof(uint64_t));
    uint64_t* const words = reinterpret_cast<uint64_t*>(env);
    char* const env_bytes = reinterpret_cast<char*>(env);
    const Op* op = ops.data();

#define NEXT() goto*(++op)->handler
#define A32 uint32_t(words[op->a])
#define B32 uint32_t(words[op->b])
#define A64 words[op->a]
#define B64 words[op->b]
    goto * op->handler;

#define BINARY(name, fn)                                         \
    L_##name##32 : words[op->dst] = sem::fn<uint32_t>(A32, B32); \
    NEXT();                                                      \
    L_##name##64 : words[op->dst] = sem::fn<uint64_t>(A64, B64); \
    NEXT();
    BINARY(Add, add)
    BINARY(Sub, sub)
    BINARY(Mul, mul)
    BINARY(MulHighS, mul_high_s)
    BINARY(MulHighU, mul_high_u)
    BINARY(MulHighSU, mul_high_su)
    BINARY(DivS, div_s)
    BINARY(DivU, div_u)
    BINARY(RemS, rem_s)
    BINARY(RemU, rem_u)
    BINARY(Shl, shl)
    BINARY(ShrU, shr_u)
    BINARY(ShrS, shr_s)
    BINARY(RotL, rotl)
    BINARY(RotR, rotr)
#undef BINARY
L_And32:
L_And64:
    words[op->dst] = A64 & B64;
    NEXT();
L_Or32:
L_Or64:
    words[op->dst] = A64 | B64;
    NEXT();
L_Xor32:
L_Xor64:
    words[op->dst] = A64 ^ B64;
    NEXT();

#define UNARY(name, expr32, expr64)         \
    L_##name##32 : words[op->dst] = expr32; \
    NEXT();                                 \
    L_##name##64 : words[op->dst] = expr64; \
    NEXT();
    UNARY(Clz, sem::clz(A32), sem::clz(A64))
    UNARY(Ctz, sem::ctz(A32), sem::ctz(A64))
    UNARY(Popcount, sem::popcount(A32), sem::popcount(A64))
    UNARY(ByteSwap, sem::byteswap(A32), sem::byteswap(A64))
    UNARY(SignExtend, sem::sign_extend(A32, unsigned(op->imm)), sem::sign_extend(A64, unsigned(op->imm)))
    UNARY(ZeroExtend, sem::zero_extend(A32, unsigned(op->imm)), sem::zero_extend(A64, unsigned(op->imm)))
#undef UNARY

#define CMP(name, cond)                                                        \
    L_Cmp##name##32 : words[op->dst] = sem::compare<uint32_t>(cond, A32, B32); \
    NEXT();                                                                    \
    L_Cmp##name##64 : words[op->dst] = sem::compare<uint64_t>(cond, A64, B64); \
    NEXT();
    CMP(Eq, Cond::kEq)
    CMP(Ne, Cond::kNe)
    CMP(LtS, Cond::kLtS)
    CMP(GeS, Cond::kGeS)
    CMP(LtU, Cond::kLtU)
    CMP(GeU, Cond::kGeU)
    CMP(LeS, Cond::kLeS)
    CMP(GtS, Cond::kGtS)
    CMP(LeU, Cond::kLeU)
    CMP(GtU, Cond::kGtU)
#undef CMP

L_Truncate:
    words[op->dst] = uint32_t(A64);
    NEXT();
L_ExtendS:
    words[op->dst] = uint64_t(int64_t(int32_t(A64)));
    NEXT();
L_ExtendU:
    words[op->dst] = uint32_t(A64);
    NEXT();
L_Select:
    words[op->dst] = A64 ? words[op->b] : words[op->c];
    NEXT();

L_GetGlobal32 : {
    uint32_t v;
    std::memcpy(&v, env_bytes + op->imm, 4);
    words[op->dst] = v;
    NEXT();
}
L_GetGlobal64:
    std::memcpy(&words[op->dst], env_bytes + op->imm, 8);
    NEXT();
L_SetGlobal32 : {
    const uint32_t v = A32;
    std::memcpy(env_bytes + op->imm, &v, 4);
    NEXT();
}
L_SetGlobal64:
    std::memcpy(env_bytes + op->imm, &words[op->a], 8);
    NEXT();

#define ADDR (A64 + uint64_t(int64_t(op->disp)))
L_Load32 : {
    uint64_t v;
    if (!fast_load(env, ADDR, MemOp::decode(op->imm), &v)) goto raised;
    words[op->dst] = uint32_t(v);
    NEXT();
}
L_Load64:
    if (!fast_load(env, ADDR, MemOp::decode(op->imm), &words[op->dst])) goto raised;
    NEXT();
L_Store32:
L_Store64:
    if (!fast_store(env, ADDR, MemOp::decode(op->imm), B64)) goto raised;
    NEXT();
L_TlbLoad32 : {
    uint64_t v;
    if (!softmmu::tlb_load(env, ADDR, MemOp::decode(op->imm), &v)) goto raised;
    words[op->dst] = uint32_t(v);
    NEXT();
}
L_TlbLoad64:
    if (!softmmu::tlb_load(env, ADDR, MemOp::decode(op->imm), &words[op->dst])) goto raised;
    NEXT();
L_TlbStore:
    if (!softmmu::tlb_store(env, ADDR, MemOp::decode(op->imm), B64)) goto raised;
    NEXT();

    // User mode's common accesses (little-endian, no alignment check, 64-bit results), specialised
    // by size and sign so the fast path is fast_load's checks and one host access; anything else
    // about the access (a page boundary, protection, past the limit) goes to the slow path.
#define FLAT_LOAD(name, T, R)                                                                           \
    L_##name : {                                                                                        \
        const uint64_t addr = ADDR;                                                                     \
        if (flat_readable(env, addr, sizeof(T))) {                                                      \
            T v;                                                                                        \
            std::memcpy(&v, env->mem_base + addr, sizeof(T));                                           \
            words[op->dst] = uint64_t(R(v));                                                            \
            NEXT();                                                                                     \
        }                                                                                               \
        if (!env->mem_port->load_slow(env, addr, MemOp::decode(op->imm), &words[op->dst])) goto raised; \
        NEXT();                                                                                         \
    }
    FLAT_LOAD(LoadU8, uint8_t, uint64_t)
    FLAT_LOAD(LoadS8, int8_t, int64_t)
    FLAT_LOAD(LoadU16, uint16_t, uint64_t)
    FLAT_LOAD(LoadS16, int16_t, int64_t)
    FLAT_LOAD(LoadU32, uint32_t, uint64_t)
    FLAT_LOAD(LoadS32, int32_t, int64_t)
    FLAT_LOAD(LoadX64, uint64_t, uint64_t)
#undef FLAT_LOAD
#define FLAT_STORE(name, T)                                                                  \
    L_##name : {                                                                             \
        const uint64_t addr = ADDR;                                                          \
        if (flat_writable(env, addr, sizeof(T))) {                                           \
            const T v = T(B64);                                                              \
            std::memcpy(env->mem_base + addr, &v, sizeof(T));                                \
            NEXT();                                                                          \
        }                                                                                    \
        if (!env->mem_port->store_slow(env, addr, MemOp::decode(op->imm), B64)) goto raised; \
        NEXT();                                                                              \
    }
    FLAT_STORE(Store8, uint8_t)
    FLAT_STORE(Store16, uint16_t)
    FLAT_STORE(StoreX32, uint32_t)
    FLAT_STORE(StoreX64, uint64_t)
#undef FLAT_STORE
#undef ADDR

L_Call : {
    const auto* h = reinterpret_cast<const HelperInfo*>(op->imm);
    const uint64_t r = h->fn(env, A64, B64, words[op->c], words[op->d]);
    words[op->dst] = h->result == Type::kI32 ? uint32_t(r) : r;
    NEXT();
}
L_CallRaise : {
    const auto* h = reinterpret_cast<const HelperInfo*>(op->imm);
    const uint64_t r = h->fn(env, A64, B64, words[op->c], words[op->d]);
    if (env->exception_pending) goto raised;
    words[op->dst] = h->result == Type::kI32 ? uint32_t(r) : r;
    NEXT();
}
L_CallTimed : {
    const auto* h = reinterpret_cast<const HelperInfo*>(op->imm);
    const uint64_t start = host_cycles();
    const uint64_t r = h->fn(env, A64, B64, words[op->c], words[op->d]);
    env->helper_cycles += host_cycles() - start;
    if ((h->flags & kHelperMayRaise) && env->exception_pending) goto raised;
    words[op->dst] = h->result == Type::kI32 ? uint32_t(r) : r;
    NEXT();
}

L_Branch:
    op = ops.data() + op->imm;
    goto * op->handler;
L_BranchIf:
    if (A64) {
        op = ops.data() + op->imm;
        goto * op->handler;
    }
    NEXT();

L_GotoTb:
    env->pc = op->pc;
    return {BlockExit::Kind::kGotoTb, uint8_t(op->imm)};
L_LookupAndGoto:
    env->pc = A64;
    return {BlockExit::Kind::kLookup};
L_Exit:
    env->pc = A64;
    return {BlockExit::Kind::kExit, 0, ExitReason(op->imm)};
L_Raise:
    env->pc = A64;
    env->exception_pending = 1;
    env->exception_cause = B64;
    env->exception_tval = words[op->c];
    return {BlockExit::Kind::kException};

    // Not made by lowering: it ends the one-op runs of the baseline tier's fallback (backends/baseline).
L_Return:
    return {BlockExit::Kind::kExit, 0, ExitReason::kYield};

raised:
    env->pc = op->pc;
    return {BlockExit::Kind::kException};
#undef NEXT
#undef A32
#undef B32
#undef A64
#undef B64
}

}  // namespace mimic::interp
