// The interpreter: lowering (IR -> pre-decoded ops) and the threaded-dispatch loop.
//
// Frame layout: slot 0 is a scratch zero, then the block's constants, then one slot per IR result.
// i32 values live zero-extended in their 64-bit slots. Constants are copied into the frame at entry.
#include "backends/interp/interp.h"

#include <cstring>
#include <vector>

#include "ir/semantics.h"
#include "softmmu/memory_port.h"

namespace mimic::interp {
namespace {

using namespace ir;

enum class IOp : uint16_t {
#define X(name) k##name,
#include "backends/interp/ops.inc"
    MIMIC_INTERP_OPS(X)
#undef X
};

struct Op {
    const void* handler = nullptr;
    uint32_t dst = 0;
    uint32_t a = 0, b = 0, c = 0, d = 0;
    uint64_t imm = 0;  // MemOp, global offset, bits, slot, reason, HelperInfo*, branch target
    uint64_t pc = 0;   // guest pc of the instruction this op belongs to (for exceptions)
};

class InterpretedBlock;
BlockExit execute(const InterpretedBlock* block, CpuHeader* env, const void* const** table);

class InterpretedBlock final : public CompiledBlock {
public:
    BlockExit run(CpuHeader* env) const override { return execute(this, env, nullptr); }
    size_t host_size() const override { return ops.size() * sizeof(Op) + consts.size() * 8; }

    std::vector<Op> ops;
    std::vector<uint64_t> consts;  // copied to frame slots [1, 1 + consts.size())
    uint32_t frame_slots = 1;
};

// Runs a block. The handlers' addresses are labels local to this function, so lowering obtains them by
// calling it with block == nullptr, which only stores the table in *table.
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
    const auto& consts = block->consts;
    uint64_t* frame = static_cast<uint64_t*>(__builtin_alloca(block->frame_slots * sizeof(uint64_t)));
    frame[0] = 0;
    std::memcpy(frame + 1, consts.data(), consts.size() * sizeof(uint64_t));
    char* const env_bytes = reinterpret_cast<char*>(env);
    const Op* op = ops.data();

#define NEXT() goto* (++op)->handler
#define A32 uint32_t(frame[op->a])
#define B32 uint32_t(frame[op->b])
#define A64 frame[op->a]
#define B64 frame[op->b]
    goto* op->handler;

#define BINARY(name, fn)                                  \
    L_##name##32 : frame[op->dst] = sem::fn<uint32_t>(A32, B32); \
    NEXT();                                               \
    L_##name##64 : frame[op->dst] = sem::fn<uint64_t>(A64, B64); \
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
    frame[op->dst] = A64 & B64;
    NEXT();
L_Or32:
L_Or64:
    frame[op->dst] = A64 | B64;
    NEXT();
L_Xor32:
L_Xor64:
    frame[op->dst] = A64 ^ B64;
    NEXT();

#define UNARY(name, expr32, expr64)       \
    L_##name##32 : frame[op->dst] = expr32; \
    NEXT();                               \
    L_##name##64 : frame[op->dst] = expr64; \
    NEXT();
    UNARY(Clz, sem::clz(A32), sem::clz(A64))
    UNARY(Ctz, sem::ctz(A32), sem::ctz(A64))
    UNARY(Popcount, sem::popcount(A32), sem::popcount(A64))
    UNARY(ByteSwap, sem::byteswap(A32), sem::byteswap(A64))
    UNARY(SignExtend, sem::sign_extend(A32, unsigned(op->imm)), sem::sign_extend(A64, unsigned(op->imm)))
    UNARY(ZeroExtend, sem::zero_extend(A32, unsigned(op->imm)), sem::zero_extend(A64, unsigned(op->imm)))
#undef UNARY

#define CMP(name, cond)                                                       \
    L_Cmp##name##32 : frame[op->dst] = sem::compare<uint32_t>(cond, A32, B32); \
    NEXT();                                                                   \
    L_Cmp##name##64 : frame[op->dst] = sem::compare<uint64_t>(cond, A64, B64); \
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
    frame[op->dst] = uint32_t(A64);
    NEXT();
L_ExtendS:
    frame[op->dst] = uint64_t(int64_t(int32_t(A64)));
    NEXT();
L_ExtendU:
    frame[op->dst] = uint32_t(A64);
    NEXT();
L_Select:
    frame[op->dst] = A64 ? frame[op->b] : frame[op->c];
    NEXT();

L_GetGlobal32: {
    uint32_t v;
    std::memcpy(&v, env_bytes + op->imm, 4);
    frame[op->dst] = v;
    NEXT();
}
L_GetGlobal64:
    std::memcpy(&frame[op->dst], env_bytes + op->imm, 8);
    NEXT();
L_SetGlobal32: {
    const uint32_t v = A32;
    std::memcpy(env_bytes + op->imm, &v, 4);
    NEXT();
}
L_SetGlobal64:
    std::memcpy(env_bytes + op->imm, &frame[op->a], 8);
    NEXT();

L_Load32: {
    uint64_t v;
    if (!fast_load(env, A64, MemOp::decode(op->imm), &v)) goto raised;
    frame[op->dst] = uint32_t(v);
    NEXT();
}
L_Load64:
    if (!fast_load(env, A64, MemOp::decode(op->imm), &frame[op->dst])) goto raised;
    NEXT();
L_Store32:
L_Store64:
    if (!fast_store(env, A64, MemOp::decode(op->imm), B64)) goto raised;
    NEXT();

L_Call: {
    const auto* h = reinterpret_cast<const HelperInfo*>(op->imm);
    const uint64_t r = h->fn(env, A64, B64, frame[op->c], frame[op->d]);
    frame[op->dst] = h->result == Type::kI32 ? uint32_t(r) : r;
    NEXT();
}
L_CallRaise: {
    const auto* h = reinterpret_cast<const HelperInfo*>(op->imm);
    const uint64_t r = h->fn(env, A64, B64, frame[op->c], frame[op->d]);
    if (env->exception_pending) goto raised;
    frame[op->dst] = h->result == Type::kI32 ? uint32_t(r) : r;
    NEXT();
}

L_Branch:
    op = ops.data() + op->imm;
    goto* op->handler;
L_BranchIf:
    if (A64) {
        op = ops.data() + op->imm;
        goto* op->handler;
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
    env->exception_tval = frame[op->c];
    return {BlockExit::Kind::kException};

raised:
    env->pc = op->pc;
    return {BlockExit::Kind::kException};
#undef NEXT
#undef A32
#undef B32
#undef A64
#undef B64
}

IOp pick(Type t, IOp op32, IOp op64) { return t == Type::kI64 ? op64 : op32; }

IOp cmp_op(Cond c, Type t) {
    static constexpr IOp k32[] = {IOp::kCmpEq32,  IOp::kCmpNe32,  IOp::kCmpLtS32, IOp::kCmpGeS32, IOp::kCmpLtU32,
                                  IOp::kCmpGeU32, IOp::kCmpLeS32, IOp::kCmpGtS32, IOp::kCmpLeU32, IOp::kCmpGtU32};
    static constexpr IOp k64[] = {IOp::kCmpEq64,  IOp::kCmpNe64,  IOp::kCmpLtS64, IOp::kCmpGeS64, IOp::kCmpLtU64,
                                  IOp::kCmpGeU64, IOp::kCmpLeS64, IOp::kCmpGtS64, IOp::kCmpLeU64, IOp::kCmpGtU64};
    return (t == Type::kI64 ? k64 : k32)[size_t(c)];
}

}  // namespace

std::unique_ptr<CompiledBlock> InterpreterBackend::compile(const Block& block) {
    const void* const* labels = nullptr;
    execute(nullptr, nullptr, &labels);

    auto out = std::make_unique<InterpretedBlock>();
    const auto& insts = block.insts();

    // Constants get the first slots (deduplicated), results the ones after them.
    std::vector<std::pair<uint64_t, uint32_t>> const_slots;
    auto const_slot = [&](uint64_t v) {
        for (auto& [value, slot] : const_slots)
            if (value == v) return slot;
        const_slots.emplace_back(v, uint32_t(1 + const_slots.size()));
        out->consts.push_back(v);
        return const_slots.back().second;
    };
    for (const Inst& in : insts)
        for (const Value& v : in.args)
            if (v.is_const()) const_slot(v.const_value());
    const uint32_t first_result = uint32_t(1 + out->consts.size());
    out->frame_slots = first_result + uint32_t(insts.size());
    auto slot = [&](const Value& v) -> uint32_t {
        if (v.is_const()) return const_slot(v.const_value());
        if (v.is_inst()) return first_result + v.inst_index();
        return 0;
    };

    std::vector<uint32_t> label_at(block.label_count(), 0);
    std::vector<std::pair<size_t, uint32_t>> branch_fixups;
    uint64_t pc = block.guest_pc();

    for (uint32_t i = 0; i < insts.size(); ++i) {
        const Inst& in = insts[i];
        Op op;
        op.dst = first_result + i;
        op.a = slot(in.args[0]);
        op.b = slot(in.args[1]);
        op.c = slot(in.args[2]);
        op.d = slot(in.args[3]);
        op.imm = in.aux;
        op.pc = pc;
        IOp kind{};  // every case below sets it (-Werror=switch keeps the switch complete)
        const Type t = in.type;
        switch (in.op) {
#define TYPED(name) \
    case Opcode::k##name: kind = pick(t, IOp::k##name##32, IOp::k##name##64); break;
            TYPED(Add) TYPED(Sub) TYPED(Mul) TYPED(MulHighS) TYPED(MulHighU) TYPED(MulHighSU) TYPED(DivS)
            TYPED(DivU) TYPED(RemS) TYPED(RemU) TYPED(And) TYPED(Or) TYPED(Xor) TYPED(Shl) TYPED(ShrU)
            TYPED(ShrS) TYPED(RotL) TYPED(RotR) TYPED(Clz) TYPED(Ctz) TYPED(Popcount) TYPED(ByteSwap)
            TYPED(SignExtend) TYPED(ZeroExtend) TYPED(Load)
#undef TYPED
        case Opcode::kTruncate: kind = IOp::kTruncate; break;
        case Opcode::kExtendS: kind = IOp::kExtendS; break;
        case Opcode::kExtendU: kind = IOp::kExtendU; break;
        case Opcode::kSelect: kind = IOp::kSelect; break;
        case Opcode::kCmp: kind = cmp_op(in.cond(), in.args[0].type()); break;
        case Opcode::kGetGlobal:
            kind = pick(t, IOp::kGetGlobal32, IOp::kGetGlobal64);
            op.imm = block.globals()[in.aux].env_offset;
            break;
        case Opcode::kSetGlobal:
            kind = pick(in.args[0].type(), IOp::kSetGlobal32, IOp::kSetGlobal64);
            op.imm = block.globals()[in.aux].env_offset;
            break;
        case Opcode::kStore: kind = pick(in.args[1].type(), IOp::kStore32, IOp::kStore64); break;
        case Opcode::kCall: kind = in.helper()->flags & kHelperMayRaise ? IOp::kCallRaise : IOp::kCall; break;
        case Opcode::kInsnStart: pc = in.args[0].const_value(); continue;
        case Opcode::kLabel: label_at[in.aux] = uint32_t(out->ops.size()); continue;
        case Opcode::kBranch:
        case Opcode::kBranchIf:
            kind = in.op == Opcode::kBranch ? IOp::kBranch : IOp::kBranchIf;
            branch_fixups.emplace_back(out->ops.size(), uint32_t(in.aux));
            break;
        case Opcode::kGotoTb:
            kind = IOp::kGotoTb;
            op.pc = in.args[0].const_value();  // the target
            break;
        case Opcode::kLookupAndGoto: kind = IOp::kLookupAndGoto; break;
        case Opcode::kExit: kind = IOp::kExit; break;
        case Opcode::kRaise: kind = IOp::kRaise; break;
        }
        op.handler = labels[size_t(kind)];
        out->ops.push_back(op);
    }
    for (auto [at, label] : branch_fixups) out->ops[at].imm = label_at[label];
    return out;
}

}  // namespace mimic::interp
