// The interpreter: lowering (IR -> pre-decoded ops) and the threaded-dispatch loop.
//
// Every operand is a 64-bit word index from env: a guest register (when the IR's GetGlobal or
// SetGlobal could be folded into the op), or a word of the vCPU's scratch area (CpuHeader::scratch)
// holding the block's constants (copied in at entry) or a temporary (reused once dead). i32 values
// live zero-extended in their words.
#include "backends/interp/interp.h"

#include <algorithm>
#include <bit>
#include <cinttypes>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "backends/interp/operands.h"
#include "engine/host_cycles.h"
#include "ir/semantics.h"
#include "softmmu/memory_port.h"
#include "softmmu/tlb.h"

namespace mimic::interp {
namespace {

using namespace ir;

enum class IOp : uint16_t {
#define X(name) k##name,
#include "backends/interp/ops.inc"
    MIMIC_INTERP_OPS(X)
#undef X
};

constexpr const char* kIOpNames[] = {
#define X(name) #name,
#include "backends/interp/ops.inc"
    MIMIC_INTERP_OPS(X)
#undef X
};

struct Op {
    IOp kind;  // for dump(); execution uses handler
    const void* handler = nullptr;
    uint32_t dst = 0;
    uint32_t a = 0, b = 0, c = 0, d = 0;
    int32_t disp = 0;  // loads and stores: added to the address in a (an IR Add folded in)
    uint64_t imm = 0;  // MemOp, global offset, bits, slot, reason, HelperInfo*, branch target
    uint64_t pc = 0;   // guest pc of the instruction this op belongs to (for exceptions)
};

class InterpretedBlock;
BlockExit execute(const InterpretedBlock* block, CpuHeader* env, const void* const** table);

class InterpretedBlock final : public CompiledBlock {
public:
    BlockExit run(CpuHeader* env) const override { return execute(this, env, nullptr); }
    size_t host_size() const override { return ops.size() * sizeof(Op) + consts.size() * 8; }
    std::string dump() const override;

    // Blocks with few constants copy this many words, a fixed size the compiler turns into a few
    // vector moves instead of a call to memcpy; the words past the constants are temporaries,
    // which the block writes before it reads them.
    static constexpr size_t kInlineConstWords = 8;

    std::vector<Op> ops;
    std::vector<uint64_t> consts;  // copied to the start of env->scratch when the block runs
    size_t const_count = 0;        // ... of which the block's constants (the rest is padding)
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
    if (block->consts.size() == InterpretedBlock::kInlineConstWords)
        std::memcpy(env->scratch, block->consts.data(), InterpretedBlock::kInlineConstWords * sizeof(uint64_t));
    else
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

#define FLOAT(name, sym)                                                                                              \
    L_##name##32 : words[op->dst] = std::bit_cast<uint32_t>(std::bit_cast<float>(A32) sym std::bit_cast<float>(B32)); \
    NEXT();                                                                                                           \
    L_##name##64 : words[op->dst] =                                                                                   \
                       std::bit_cast<uint64_t>(std::bit_cast<double>(A64) sym std::bit_cast<double>(B64));            \
    NEXT();
    FLOAT(FAdd, +)
    FLOAT(FSub, -)
    FLOAT(FMul, *)
    FLOAT(FDiv, /)
#define FLOAT_CMP(name, sym)                                                                   \
    L_##name##32 : words[op->dst] = std::bit_cast<float>(A32) sym std::bit_cast<float>(B32);   \
    NEXT();                                                                                    \
    L_##name##64 : words[op->dst] = std::bit_cast<double>(A64) sym std::bit_cast<double>(B64); \
    NEXT();
    FLOAT_CMP(FEq, ==)
    FLOAT_CMP(FLt, <)
    FLOAT_CMP(FLe, <=)
#undef FLOAT_CMP
L_FSqrt32:
    words[op->dst] = std::bit_cast<uint32_t>(__builtin_sqrtf(std::bit_cast<float>(A32)));
    NEXT();
L_FSqrt64:
    words[op->dst] = std::bit_cast<uint64_t>(__builtin_sqrt(std::bit_cast<double>(A64)));
    NEXT();
#undef FLOAT

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
    // by size and sign so the fast path is a few compares and one host access; anything else about
    // the access (a page boundary, protection, past the limit) goes through the generic path.
#define FLAT_LOAD(name, T, R)                                                                           \
    L_##name : {                                                                                        \
        const uint64_t addr = ADDR;                                                                     \
        if (addr < env->mem_limit && (addr & (kGuestPageSize - 1)) <= kGuestPageSize - sizeof(T) &&     \
            (env->page_flags[addr >> kGuestPageBits] & kPageRead)) {                                    \
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
#define FLAT_STORE(name, T)                                                                         \
    L_##name : {                                                                                    \
        const uint64_t addr = ADDR;                                                                 \
        if (addr < env->mem_limit && (addr & (kGuestPageSize - 1)) <= kGuestPageSize - sizeof(T) && \
            (env->page_flags[addr >> kGuestPageBits] & (kPageWrite | kPageCode)) == kPageWrite) {   \
            const T v = T(B64);                                                                     \
            std::memcpy(env->mem_base + addr, &v, sizeof(T));                                       \
            NEXT();                                                                                 \
        }                                                                                           \
        if (!env->mem_port->store_slow(env, addr, MemOp::decode(op->imm), B64)) goto raised;        \
        NEXT();                                                                                     \
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

raised:
    env->pc = op->pc;
    return {BlockExit::Kind::kException};
#undef NEXT
#undef A32
#undef B32
#undef A64
#undef B64
}

std::string disp_text(const Op& op) {
    if (op.disp == 0) return "";
    char text[24];
    std::snprintf(text, sizeof text, "  disp=%d", op.disp);
    return text;
}

// Operands print as w<N>: env word N (guest registers come first, then CpuHeader::scratch).
std::string InterpretedBlock::dump() const {
    std::string out;
    char line[160];
    for (size_t i = 0; i < const_count; ++i) {
        std::snprintf(line, sizeof line, "  const w%zu = 0x%" PRIx64 "\n", size_t(offsetof(CpuHeader, scratch) / 8 + i),
                      consts[i]);
        out += line;
    }
    for (size_t i = 0; i < ops.size(); ++i) {
        const Op& op = ops[i];
        std::snprintf(line, sizeof line,
                      "  %3zu: %-14s w%u <- w%u, w%u, w%u, w%u  imm=0x%" PRIx64 "%s  pc=0x%" PRIx64 "\n", i,
                      kIOpNames[size_t(op.kind)], op.dst, op.a, op.b, op.c, op.d, op.imm, disp_text(op).c_str(), op.pc);
        out += line;
    }
    return out;
}

IOp pick(Type t, IOp op32, IOp op64) {
    return t == Type::kI64 ? op64 : op32;
}

// User mode's loads and stores: the specialised ops where they apply (see FLAT_LOAD).
IOp flat_load_op(Type t, MemOp m) {
    if (t != Type::kI64 || m.big_endian || m.aligned) return pick(t, IOp::kLoad32, IOp::kLoad64);
    static constexpr IOp kOps[2][4] = {{IOp::kLoadU8, IOp::kLoadU16, IOp::kLoadU32, IOp::kLoadX64},
                                       {IOp::kLoadS8, IOp::kLoadS16, IOp::kLoadS32, IOp::kLoadX64}};
    return kOps[m.sign][m.log2_size];
}

IOp flat_store_op(Type t, MemOp m) {
    if (m.big_endian || m.aligned) return pick(t, IOp::kStore32, IOp::kStore64);
    static constexpr IOp kOps[4] = {IOp::kStore8, IOp::kStore16, IOp::kStoreX32, IOp::kStoreX64};
    return kOps[m.log2_size];
}

IOp cmp_op(Cond c, Type t) {
#define CONDS(T)                                                                                        \
    IOp::kCmpEq##T, IOp::kCmpNe##T, IOp::kCmpLtS##T, IOp::kCmpGeS##T, IOp::kCmpLtU##T, IOp::kCmpGeU##T, \
        IOp::kCmpLeS##T, IOp::kCmpGtS##T, IOp::kCmpLeU##T, IOp::kCmpGtU##T
    static constexpr IOp k32[] = {CONDS(32)}, k64[] = {CONDS(64)};
#undef CONDS
    return (t == Type::kI64 ? k64 : k32)[size_t(c)];
}

}  // namespace

std::unique_ptr<CompiledBlock> InterpreterBackend::compile(const Block& block) {
    const void* const* labels = nullptr;
    execute(nullptr, nullptr, &labels);

    auto out = std::make_unique<InterpretedBlock>();
    const auto& insts = block.insts();

    std::vector<bool> dropped;
    std::unordered_map<uint64_t, uint32_t> const_words;
    const std::vector<uint32_t> operand_of = assign_operands(block, out->consts, const_words, dropped);
    out->const_count = out->consts.size();
    if (out->consts.size() < InterpretedBlock::kInlineConstWords)
        out->consts.resize(InterpretedBlock::kInlineConstWords);
    auto operand = [&](const Value& v) -> uint32_t {
        if (v.is_const()) return const_words.at(v.const_value());
        if (v.is_inst()) return operand_of[v.inst_index()];
        return kScratchWord;  // unused operand: any valid word
    };

    // An address computed as base + constant right before its only use, a load or store, is
    // folded into the access as its displacement: one op less for most guest loads and stores.
    std::vector<uint32_t> uses(insts.size(), 0);
    for (const Inst& in : insts)
        for (const Value& v : in.args)
            if (v.is_inst()) ++uses[v.inst_index()];
    std::vector<int32_t> disp_of(insts.size(), 0);
    std::vector<Value> base_of(insts.size());
    for (uint32_t i = 0; i < insts.size(); ++i) {
        const Inst& in = insts[i];
        if ((in.op != Opcode::kLoad && in.op != Opcode::kStore) || dropped[i] || !in.args[0].is_inst()) continue;
        const uint32_t k = in.args[0].inst_index();
        const Inst& add = insts[k];
        if (add.op != Opcode::kAdd || add.type != Type::kI64 || dropped[k] || uses[k] != 1 || !add.args[1].is_const())
            continue;
        const int64_t disp = int64_t(add.args[1].const_value());
        if (disp != int64_t(int32_t(disp))) continue;
        // Nothing may run in between: the base is read at the access instead of at the Add.
        bool adjacent = true;
        for (uint32_t j = k + 1; j < i && adjacent; ++j) adjacent = dropped[j] || insts[j].op == Opcode::kInsnStart;
        if (!adjacent) continue;
        dropped[k] = true;
        disp_of[i] = int32_t(disp);
        base_of[i] = add.args[0];
    }

    std::vector<uint32_t> label_at(block.label_count(), 0);
    std::vector<std::pair<size_t, uint32_t>> branch_fixups;
    uint64_t pc = block.guest_pc();

    for (uint32_t i = 0; i < insts.size(); ++i) {
        const Inst& in = insts[i];
        if (dropped[i]) continue;
        if (in.op == Opcode::kInsnStart) {
            pc = in.args[0].const_value();
            continue;
        }
        if (in.op == Opcode::kGotoTb) {
            Op op;
            op.kind = IOp::kGotoTb;
            op.handler = labels[size_t(op.kind)];
            op.imm = in.aux;                   // the slot
            op.pc = in.args[0].const_value();  // the target
            out->ops.push_back(op);
            continue;
        }
        Op op;
        op.dst = operand_of[i];
        op.a = operand(in.args[0]);
        op.b = operand(in.args[1]);
        op.c = operand(in.args[2]);
        op.d = operand(in.args[3]);
        op.imm = in.aux;
        op.pc = pc;
        if (!base_of[i].is_none()) {  // an Add folded in
            op.a = operand(base_of[i]);
            op.disp = disp_of[i];
        }
        IOp kind{};  // every case below sets it (-Werror=switch keeps the switch complete)
        const Type t = in.type;
        switch (in.op) {
            case Opcode::kAdd: kind = pick(t, IOp::kAdd32, IOp::kAdd64); break;
            case Opcode::kSub: kind = pick(t, IOp::kSub32, IOp::kSub64); break;
            case Opcode::kMul: kind = pick(t, IOp::kMul32, IOp::kMul64); break;
            case Opcode::kMulHighS: kind = pick(t, IOp::kMulHighS32, IOp::kMulHighS64); break;
            case Opcode::kMulHighU: kind = pick(t, IOp::kMulHighU32, IOp::kMulHighU64); break;
            case Opcode::kMulHighSU: kind = pick(t, IOp::kMulHighSU32, IOp::kMulHighSU64); break;
            case Opcode::kDivS: kind = pick(t, IOp::kDivS32, IOp::kDivS64); break;
            case Opcode::kDivU: kind = pick(t, IOp::kDivU32, IOp::kDivU64); break;
            case Opcode::kRemS: kind = pick(t, IOp::kRemS32, IOp::kRemS64); break;
            case Opcode::kRemU: kind = pick(t, IOp::kRemU32, IOp::kRemU64); break;
            case Opcode::kAnd: kind = pick(t, IOp::kAnd32, IOp::kAnd64); break;
            case Opcode::kOr: kind = pick(t, IOp::kOr32, IOp::kOr64); break;
            case Opcode::kXor: kind = pick(t, IOp::kXor32, IOp::kXor64); break;
            case Opcode::kShl: kind = pick(t, IOp::kShl32, IOp::kShl64); break;
            case Opcode::kShrU: kind = pick(t, IOp::kShrU32, IOp::kShrU64); break;
            case Opcode::kShrS: kind = pick(t, IOp::kShrS32, IOp::kShrS64); break;
            case Opcode::kRotL: kind = pick(t, IOp::kRotL32, IOp::kRotL64); break;
            case Opcode::kRotR: kind = pick(t, IOp::kRotR32, IOp::kRotR64); break;
            case Opcode::kClz: kind = pick(t, IOp::kClz32, IOp::kClz64); break;
            case Opcode::kCtz: kind = pick(t, IOp::kCtz32, IOp::kCtz64); break;
            case Opcode::kPopcount: kind = pick(t, IOp::kPopcount32, IOp::kPopcount64); break;
            case Opcode::kByteSwap: kind = pick(t, IOp::kByteSwap32, IOp::kByteSwap64); break;
            case Opcode::kSignExtend: kind = pick(t, IOp::kSignExtend32, IOp::kSignExtend64); break;
            case Opcode::kZeroExtend: kind = pick(t, IOp::kZeroExtend32, IOp::kZeroExtend64); break;
            case Opcode::kLoad:
                kind = memory_ == MemoryModel::kSoftTlb ? pick(t, IOp::kTlbLoad32, IOp::kTlbLoad64)
                                                        : flat_load_op(t, in.memop());
                break;
            case Opcode::kFAdd: kind = in.aux == 32 ? IOp::kFAdd32 : IOp::kFAdd64; break;
            case Opcode::kFSub: kind = in.aux == 32 ? IOp::kFSub32 : IOp::kFSub64; break;
            case Opcode::kFMul: kind = in.aux == 32 ? IOp::kFMul32 : IOp::kFMul64; break;
            case Opcode::kFDiv: kind = in.aux == 32 ? IOp::kFDiv32 : IOp::kFDiv64; break;
            case Opcode::kFSqrt: kind = in.aux == 32 ? IOp::kFSqrt32 : IOp::kFSqrt64; break;
            case Opcode::kFEq: kind = in.aux == 32 ? IOp::kFEq32 : IOp::kFEq64; break;
            case Opcode::kFLt: kind = in.aux == 32 ? IOp::kFLt32 : IOp::kFLt64; break;
            case Opcode::kFLe: kind = in.aux == 32 ? IOp::kFLe32 : IOp::kFLe64; break;
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
            case Opcode::kStore:
                kind = memory_ == MemoryModel::kSoftTlb ? IOp::kTlbStore : flat_store_op(in.args[1].type(), in.memop());
                break;
            case Opcode::kCall:
                kind = time_helpers_                          ? IOp::kCallTimed
                       : in.helper()->flags & kHelperMayRaise ? IOp::kCallRaise
                                                              : IOp::kCall;
                break;
            case Opcode::kInsnStart:
            case Opcode::kGotoTb: continue;  // handled above
            case Opcode::kLabel: label_at[in.aux] = uint32_t(out->ops.size()); continue;
            case Opcode::kBranch:
            case Opcode::kBranchIf:
                kind = in.op == Opcode::kBranch ? IOp::kBranch : IOp::kBranchIf;
                branch_fixups.emplace_back(out->ops.size(), uint32_t(in.aux));
                break;
            case Opcode::kLookupAndGoto: kind = IOp::kLookupAndGoto; break;
            case Opcode::kExit: kind = IOp::kExit; break;
            case Opcode::kRaise: kind = IOp::kRaise; break;
        }
        op.kind = kind;
        op.handler = labels[size_t(kind)];
        out->ops.push_back(op);
    }
    for (auto [at, label] : branch_fixups) out->ops[at].imm = label_at[label];
    return out;
}

}  // namespace mimic::interp
